import RawJSON

/// The parameters of a REST request (`a=1&b=2` in the query string and, for a form body, the body),
/// with each pair's text as sent, so the signature can be checked over exactly those bytes.
///
/// Binance signs `totalParams` = query string concatenated with the request body (no separator),
/// in the order sent — not sorted, unlike the WebSocket API's payload.
struct RESTQuery: Sendable {
    /// One `key=value` pair: the raw text as sent and the percent-decoded key and value.
    struct Pair: Sendable {
        let raw: Substring
        let key: String
        let value: String
    }

    let queryPairs: [Pair]
    let bodyPairs: [Pair]
    private let rawQuery: Substring
    private let rawBody: String

    /// - Throws: -1101 when a parameter repeats (Binance's "Duplicate values for a parameter").
    init(query: Substring?, body: [UInt8]) throws(ExchangeError) {
        rawQuery = query ?? ""
        rawBody = String(decoding: body, as: UTF8.self)
        queryPairs = Self.pairs(rawQuery)
        bodyPairs = Self.pairs(rawBody[...])
        var seen = Set<String>()
        for pair in queryPairs + bodyPairs where !seen.insert(pair.key).inserted { throw .duplicateParameter }
    }

    var all: [Pair] { queryPairs + bodyPairs }

    subscript(key: String) -> String? { all.first { $0.key == key }?.value }

    /// Params by name, for the trading engine (empty values count as absent there).
    var values: [String: String] { Dictionary(all.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }) }

    /// `totalParams` without the `signature` pair: the query's pairs as sent, then the body's.
    var signingPayload: String {
        func join(_ pairs: [Pair]) -> String {
            pairs.filter { $0.key != "signature" }.map { String($0.raw) }.joined(separator: "&")
        }
        return join(queryPairs) + join(bodyPairs)
    }

    private static func pairs(_ text: Substring) -> [Pair] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { raw in
            let parts = raw.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return Pair(raw: raw, key: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// A parameter that holds a JSON array (`batchOrders`, `orderIdList`): its elements, or `nil`.
    /// Clients that percent-encode the list themselves (python-binance does) send a value that
    /// still holds escapes after the query's own decoding: it is decoded once more.
    static func jsonList(_ value: String) -> [RawJSONScanner.Value]? {
        let text = value.contains("%") ? decode(value[...]) : value
        return RawJSONScanner.Value.raw(text).array
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: low)
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
