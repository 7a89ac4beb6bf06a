/// Typed look-ups in one JSON object, for the small documents read at the edges: request
/// envelopes, admin bodies, key files, `/fapi/v1/time`, `exchangeInfo`.
///
/// It exists so that no module of the gateway needs Foundation's `JSONSerialization` (and
/// with it the whole of Foundation, ICU included, in every process's memory). Values keep
/// their exact text, as `RawJSONScanner` reads them; keys may not repeat.
public struct JSONObject: Sendable {
    public let members: [RawJSONScanner.Member]

    public init(members: [RawJSONScanner.Member]) {
        self.members = members
    }

    /// The single object of a whole document; anything else is an error.
    public init(parsing bytes: ArraySlice<UInt8>) throws(RawJSONError) {
        var scanner = RawJSONScanner(bytes)
        self.init(members: try scanner.document())
    }

    public init(parsing bytes: [UInt8]) throws(RawJSONError) { try self.init(parsing: bytes[...]) }

    public subscript(key: String) -> RawJSONScanner.Value? { members.first { $0.key == key }?.value }
}

extension RawJSONScanner.Value {
    /// A JSON string's content; `nil` for any other value.
    public var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// A JSON number written as an integer (`-?[0-9]+`) that fits in 64 bits; `nil` for
    /// anything else, fractions and exponents included.
    public var integer: Int64? {
        if case .raw(let text) = self { Int64(text) } else { nil }
    }

    /// `true` or `false`; `nil` for any other value.
    public var bool: Bool? {
        switch self {
        case .raw("true"): true
        case .raw("false"): false
        default: nil
        }
    }

    public var isNull: Bool {
        if case .raw("null") = self { true } else { false }
    }

    /// An object's members; `nil` for any other value.
    public var object: JSONObject? {
        if case .object(let members, _) = self { JSONObject(members: members) } else { nil }
    }

    /// An array's elements; `nil` for any other value.
    public var array: [RawJSONScanner.Value]? {
        guard case .raw(let text) = self, text.hasPrefix("[") else { return nil }
        var scanner = RawJSONScanner(Array(text.utf8))
        return try? scanner.arrayDocument()
    }

    /// The value's exact JSON text (a string is quoted again).
    public var json: String {
        switch self {
        case .string(let text): JSONString.quoted(text)
        case .raw(let text), .object(_, let text): text
        }
    }
}
