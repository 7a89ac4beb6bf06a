/// A WebSocket answer's `rateLimits` array, scanned once per answer: the reports the local
/// limits learn from, and the same counts as Binance's REST usage header fields
/// (`X-MBX-USED-WEIGHT-1M: 12`, `X-MBX-ORDER-COUNT-10S: 1`, …) for the client.
///
/// Scanning it once instead of decoding it with Foundation (for the headers) and again (for the
/// ledger) was the largest single cost of a proxied call; the usual shape now takes
/// `RateLimitsFastScan`, anything else the general `RawJSONScanner`.
public struct RateLimitUsage: Sendable {
    let reports: [RateLimitReport]
    /// One field per entry with a type, an interval, an integer `intervalNum` and `count`.
    public let headerFields: [(name: String, value: String)]

    public init(rateLimitsJSON: ArraySlice<UInt8>) {
        if let entries = RateLimitsFastScan.scan(rateLimitsJSON) {
            reports = entries.map {
                RateLimitReport(
                    kind: $0.kind, intervalMillis: $0.unitMillis * Int64($0.intervalNum), limit: $0.limit,
                    count: $0.count)
            }
            headerFields = entries.map { ($0.headerName, String($0.count)) }
            return
        }
        let entries = RateLimitReport.entries(rateLimitsJSON)
        reports = entries.compactMap { RateLimitReport(members: $0) }
        headerFields = entries.compactMap(Self.headerField)
    }

    /// `REQUEST_WEIGHT` → `X-MBX-USED-WEIGHT-<n><unit>`, `ORDERS` → `X-MBX-ORDER-COUNT-<n><unit>`,
    /// another type → `X-MBX-<type>-<n><unit>`; the unit is the interval's first letter.
    static func headerField(_ members: [(key: String, value: String)]) -> (name: String, value: String)? {
        func member(_ key: String) -> String? { members.first { $0.key == key }?.value }
        guard let type = member("rateLimitType"), let unit = member("interval")?.first,
            let number = member("intervalNum").flatMap({ Int($0) }),
            let count = member("count").flatMap({ Int($0) })
        else { return nil }
        let prefix =
            switch type {
            case "REQUEST_WEIGHT": "X-MBX-USED-WEIGHT-"
            case "ORDERS": "X-MBX-ORDER-COUNT-"
            default: "X-MBX-\(type)-"
            }
        return (prefix + String(number) + String(unit), String(count))
    }
}
