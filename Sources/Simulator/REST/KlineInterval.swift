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

    /// Midnight UTC of the first day of the month holding `time`, by the proleptic Gregorian
    /// calendar (days ↔ civil dates as in Howard Hinnant's `civil_from_days`), with no
    /// calendar library: the simulator must not depend on time-zone data.
    static func monthStart(_ time: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let days = floor(time, day) / day
        let (year, month) = civilYearMonth(days)
        return daysFromCivil(year: year, month: month, day: 1) * day
    }

    private static func civilYearMonth(_ days: Int64) -> (year: Int64, month: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153  // March = 0
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month)
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension KlineInterval {
    /// The open time of the bucket before the one opening at `open`.
    func previous(before open: Int64) -> Int64 { self.open(containing: open - 1) }
}
