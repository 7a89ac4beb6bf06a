import FoundationEssentials

/// A kline interval as Binance spells it (`1m` … `1M`), and how it cuts time into buckets:
/// fixed lengths from the epoch, weeks from Monday 00:00 UTC, months by the UTC calendar.
struct KlineInterval: Sendable {
    static let names = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"]

    let name: String
    /// Fixed length in ms; `nil` for `1M`.
    private let length: Int64?

    init?(_ name: String) {
        guard Self.names.contains(name) else { return nil }
        self.name = name
        let count = Int64(name.dropLast())!
        switch name.last! {
        case "m": length = count * 60_000
        case "h": length = count * 3_600_000
        case "d": length = count * 86_400_000
        case "w": length = count * 604_800_000
        default: length = nil
        }
    }

    /// The open time of the bucket that contains `time`.
    func open(containing time: Int64) -> Int64 {
        guard let length else { return Self.monthStart(time) }
        // 1970-01-01 was a Thursday: weekly buckets start 4 days (to Monday) after the epoch's grid.
        let offset: Int64 = name == "1w" ? 4 * 86_400_000 : 0
        return Self.floor(time - offset, length) + offset
    }

    /// The open time of the bucket after the one opening at `open`.
    func next(after open: Int64) -> Int64 {
        guard let length else { return Self.monthStart(open + 32 * 86_400_000) }
        return open + length
    }

    private static func floor(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor * divisor : -((-value + divisor - 1) / divisor) * divisor
    }

    private static func monthStart(_ time: Int64) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
        return Int64((start.timeIntervalSince1970 * 1000).rounded())
    }
}

extension KlineInterval {
    /// The open time of the bucket before the one opening at `open`.
    func previous(before open: Int64) -> Int64 { self.open(containing: open - 1) }
}
