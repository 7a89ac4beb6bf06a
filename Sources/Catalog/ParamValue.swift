import RawJSON

/// One parameter value, normalized for the upstream but still carrying the client's digits.
///
/// Decimals and booleans travel as JSON strings (the upstream's DECIMAL and "true"/"false"
/// STRING types), integers as JSON numbers, lists as JSON array text. Nothing passes through
/// a Double: `0.10` reaches the exchange as `0.10`.
public enum ParamValue: Sendable, Hashable {
    /// Sent as a JSON string: text, enum values, decimals, booleans.
    case text(String)
    /// Sent as a JSON number: the digits as the client sent them.
    case integer(String)
    /// A JSON array, as text without spaces: `[1,2]`, `["a","b"]`.
    case list(String)

    /// The value as it appears in a signing payload or a query string (before percent-encoding).
    public var plainText: String {
        switch self {
        case .text(let text), .integer(let text), .list(let text): text
        }
    }

    /// The value as JSON text inside a WebSocket request's `params`.
    public var jsonText: String {
        switch self {
        case .text(let text): JSONString.quoted(text)
        case .integer(let text), .list(let text): text
        }
    }

    /// Appends `jsonText`'s bytes without making the string.
    public func appendJSON(to out: inout [UInt8]) {
        switch self {
        case .text(let text): JSONString.append(text, to: &out)
        case .integer(let text), .list(let text): out.append(contentsOf: text.utf8)
        }
    }
}
