/// One upstream limit: at most `limit` units of `kind` per fixed window of `intervalMillis`,
/// windows aligned to the epoch (a window starts at `now - now % intervalMillis`), as the
/// exchange (and our simulator's limiters) count them.
public struct RateLimitRule: Sendable, Hashable {
    public var kind: RateLimitKind
    public var intervalMillis: Int64
    public var limit: Int

    public init(kind: RateLimitKind, intervalMillis: Int64, limit: Int) {
        self.kind = kind
        self.intervalMillis = intervalMillis
        self.limit = limit
    }

    /// Binance USDⓈ-M Futures: REQUEST_WEIGHT 2400 per minute, ORDERS 300 per 10 s and 1200 per minute.
    public static let binanceDefaults: [RateLimitRule] = [
        RateLimitRule(kind: .requestWeight, intervalMillis: 60_000, limit: 2400),
        RateLimitRule(kind: .orders, intervalMillis: 10_000, limit: 300),
        RateLimitRule(kind: .orders, intervalMillis: 60_000, limit: 1200),
    ]

    /// The start of the window that holds `now`.
    func windowStart(_ now: Int64) -> Int64 {
        let remainder = now % intervalMillis
        return now - (remainder < 0 ? remainder + intervalMillis : remainder)
    }

    /// The end (exclusive) of the window that holds `now`.
    func windowEnd(_ now: Int64) -> Int64 { windowStart(now) + intervalMillis }

    /// Milliseconds of one Binance `interval` unit (`SECOND`, `MINUTE`, `HOUR`, `DAY`), or `nil`.
    static func unitMillis(_ interval: String) -> Int64? {
        switch interval.uppercased() {
        case "SECOND", "S": 1000
        case "MINUTE", "M": 60_000
        case "HOUR", "H": 3_600_000
        case "DAY", "D": 86_400_000
        default: nil
        }
    }

    /// `"2400 per 1 MINUTE"`, for refusal reasons.
    var text: String {
        let (count, unit): (Int64, String) =
            switch intervalMillis {
            case let ms where ms % 86_400_000 == 0: (ms / 86_400_000, "DAY")
            case let ms where ms % 3_600_000 == 0: (ms / 3_600_000, "HOUR")
            case let ms where ms % 60_000 == 0: (ms / 60_000, "MINUTE")
            case let ms where ms % 1000 == 0: (ms / 1000, "SECOND")
            case let ms: (ms, "MILLISECOND")
            }
        return "\(kind.rawValue) \(limit) per \(count) \(unit)"
    }
}
