import RawJSON

/// One count the upstream reported for one of its limits: from a WebSocket answer's
/// `rateLimits` entry (limit included) or from a REST `X-MBX-…` header (no limit).
struct RateLimitReport: Sendable, Hashable {
    var kind: RateLimitKind
    var intervalMillis: Int64
    /// `nil` when the upstream did not say (REST headers carry counts only).
    var limit: Int?
    var count: Int

    /// The entries of a `rateLimits` array, e.g.
    /// `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":12}]`.
    /// Entries of unknown types or intervals are left out; malformed JSON gives none.
    /// `missingCount` stands for an entry without `count` (exchangeInfo lists limits only).
    static func parse(rateLimitsJSON: ArraySlice<UInt8>, missingCount: Int? = nil) -> [RateLimitReport] {
        entries(rateLimitsJSON).compactMap { RateLimitReport(members: $0, missingCount: missingCount) }
    }

    /// A `rateLimits` array's objects, each member as text: a string's content or a number's
    /// digits. Nested values are left out; malformed JSON gives no entries.
    static func entries(_ rateLimitsJSON: ArraySlice<UInt8>) -> [[(key: String, value: String)]] {
        var scanner = RawJSONScanner(rateLimitsJSON)
        guard let elements = try? scanner.arrayDocument() else { return [] }
        return elements.compactMap { element in
            guard case .object(let members, _) = element else { return nil }
            return members.compactMap { member in
                switch member.value {
                case .string(let text), .raw(let text): (member.key, text)
                case .object: nil
                }
            }
        }
    }

    /// The counts in REST headers: `X-MBX-USED-WEIGHT-<n><unit>` (REQUEST_WEIGHT) and
    /// `X-MBX-ORDER-COUNT-<n><unit>` (ORDERS), unit `S`, `M`, `H` or `D`; names case-insensitive.
    static func parse(restHeaders: [(name: String, value: String)]) -> [RateLimitReport] {
        restHeaders.compactMap { header in
            let name = header.name.lowercased()
            let kind: RateLimitKind
            let suffix: Substring
            if name.hasPrefix("x-mbx-used-weight-") {
                (kind, suffix) = (.requestWeight, name.dropFirst("x-mbx-used-weight-".count))
            } else if name.hasPrefix("x-mbx-order-count-") {
                (kind, suffix) = (.orders, name.dropFirst("x-mbx-order-count-".count))
            } else {
                return nil
            }
            guard let unit = suffix.last.flatMap({ RateLimitRule.unitMillis(String($0)) }),
                let number = Int64(suffix.dropLast()), number > 0,
                let count = Int(header.value.trimmingCharacters(in: " \t")), count >= 0
            else { return nil }
            return RateLimitReport(kind: kind, intervalMillis: unit * number, limit: nil, count: count)
        }
    }
}

extension RateLimitReport {
    /// One `rateLimits` entry's members, as `entries(_:)` reads them.
    init?(members: [(key: String, value: String)], missingCount: Int? = nil) {
        func member(_ key: String) -> String? { members.first { $0.key == key }?.value }
        guard let kind = member("rateLimitType").flatMap(RateLimitKind.init(rawValue:)),
            let unit = member("interval").flatMap(RateLimitRule.unitMillis),
            let number = member("intervalNum").flatMap({ Int64($0) }), number > 0,
            let limit = member("limit").flatMap({ Int($0) }), limit >= 0,
            let count = member("count").flatMap({ Int($0) }) ?? missingCount, count >= 0
        else { return nil }
        self.init(kind: kind, intervalMillis: unit * number, limit: limit, count: count)
    }
}

extension String {
    /// The text without leading and trailing characters from `set` (no Foundation in this module).
    fileprivate func trimmingCharacters(in set: String) -> String {
        let isTrimmed = { (character: Character) in set.contains(character) }
        return String(drop(while: isTrimmed).reversed().drop(while: isTrimmed).reversed())
    }
}
