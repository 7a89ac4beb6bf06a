/// Reads the end of an IP ban from Binance's 418 message, "Way too many requests; IP banned
/// until 1700000000000. Please use the websocket for live updates to avoid bans."
enum UpstreamBan {
    /// The milliseconds after "banned until", or `nil` when the message has none.
    static func bannedUntil(_ message: String) -> Int64? {
        guard let marker = message.firstRange(of: "banned until ") else { return nil }
        let digits = message[marker.upperBound...].prefix(while: { $0.isASCII && $0.isNumber })
        return Int64(digits)
    }

    /// The interval of a 429's limit from its message, e.g. "…300 orders per 10 SECOND." → 10,000
    /// or "…1200 orders per MINUTE." → 60,000; `nil` when the message names none.
    static func intervalMillis(_ message: String) -> Int64? {
        guard let marker = message.ranges(of: " per ").last else { return nil }
        let words = message[marker.upperBound...].split(whereSeparator: { $0 == " " || $0 == "." })
        guard let first = words.first else { return nil }
        if let number = Int64(first) {
            return words.dropFirst().first.flatMap { RateLimitRule.unitMillis(String($0)) }.map { $0 * number }
        }
        return RateLimitRule.unitMillis(String(first))
    }
}
