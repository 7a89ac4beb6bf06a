import RawJSON

/// The `params` object of a request frame, with each value's text as the client sent it.
///
/// Binance signs `key=value` pairs built from the values as sent: a number `0.10` is signed as
/// `0.10`, not `0.1`, so a general JSON decoder (which turns numbers into doubles) cannot check
/// signatures faithfully. This type keeps the raw text of every value.
///
/// Strict: the whole frame must be one valid JSON object (RFC 8259, nesting at most
/// `maximumDepth`), `params` (when present) must be an object, and a key may not repeat.
struct JSONParams: Sendable {
    /// Params in the order they were sent. `raw` is a string's unescaped content, or any other
    /// value's exact JSON text (`0.10`, `true`, `null`; nested arrays/objects as sent).
    let ordered: [(key: String, raw: String, isString: Bool)]

    private let index: [String: Int]

    static let maximumDepth = RawJSONScanner.maximumDepth

    /// Reads the `params` of a whole request frame `{"id","method","params"}`; none means empty.
    init(frame: [UInt8]) throws(ExchangeError) {
        let members = try Self.members(of: frame)
        guard let params = members.first(where: { $0.key == "params" }) else {
            self.init(entries: [])
            return
        }
        guard case .object(let entries, _) = params.value else { throw .malformedRequest }
        self.init(entries: entries)
    }

    /// The `params` of a request object already read; none means empty.
    init(request: JSONObject) throws(ExchangeError) {
        guard let params = request["params"] else {
            self.init(entries: [])
            return
        }
        guard case .object(let entries, _) = params else { throw .malformedRequest }
        self.init(entries: entries)
    }

    /// Reads a bare params object, e.g. `{"symbol":"BTCUSDT","price":"1.0"}`.
    init(object: [UInt8]) throws(ExchangeError) {
        self.init(entries: try Self.members(of: object))
    }

    private static func members(of bytes: [UInt8]) throws(ExchangeError) -> [RawJSONScanner.Member] {
        var scanner = RawJSONScanner(bytes)
        do {
            return try scanner.document()
        } catch .duplicateKey {
            throw .duplicateParameter
        } catch {
            throw .malformedRequest
        }
    }

    private init(entries: [RawJSONScanner.Member]) {
        ordered = entries.map { member in
            switch member.value {
            case .string(let text): (member.key, text, true)
            case .raw(let text), .object(_, let text): (member.key, text, false)
            }
        }
        index = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.key, $0) })
    }

    /// A string's content or another value's JSON text.
    subscript(key: String) -> String? { index[key].map { ordered[$0].raw } }

    func contains(_ key: String) -> Bool { index[key] != nil }

    /// Whether the value under `key` was a JSON string.
    func isString(_ key: String) -> Bool { index[key].map { ordered[$0].isString } ?? false }
}
