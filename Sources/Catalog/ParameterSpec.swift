/// One parameter of a call: its upstream name, the names clients may also use, its type.
public struct ParameterSpec: Sendable {
    public enum Kind: Sendable, Hashable {
        /// Free text.
        case text
        /// A client order id, by `ClientOrderIdPattern`.
        case clientOrderId
        /// A symbol or pair: `BTCUSDT`.
        case symbol
        /// Digits with an optional fraction, as a JSON string or number; sent as a string.
        case decimal
        /// A non-negative integer, as a JSON number or a string of digits; sent as a number.
        case integer
        /// `true`/`false`, as JSON booleans or strings; sent as the strings the upstream expects.
        case boolean
        /// One of the listed strings, exactly (the upstream is case-sensitive).
        case oneOf([String])
        /// One of the listed integers; sent as a number.
        case integerOneOf([Int])
        /// A list of at most `maximum` integers, sent as JSON array text (`[1,2]`).
        case integerList(maximum: Int)
        /// A list of at most `maximum` strings, sent as JSON array text.
        case textList(maximum: Int)
        /// A list of at most `maximum` client order ids, sent as JSON array text.
        case clientOrderIdList(maximum: Int)
    }

    public let name: String
    public let kind: Kind
    public let isRequired: Bool
    /// Other names clients may use, such as python-binance's `orderid`.
    public let aliases: [String]

    public init(_ name: String, _ kind: Kind, required: Bool = false, aliases: [String] = []) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.aliases = aliases
    }

    public static func required(_ name: String, _ kind: Kind, aliases: [String] = []) -> ParameterSpec {
        ParameterSpec(name, kind, required: true, aliases: aliases)
    }

    public static func optional(_ name: String, _ kind: Kind, aliases: [String] = []) -> ParameterSpec {
        ParameterSpec(name, kind, required: false, aliases: aliases)
    }

    /// The same parameter, required.
    public var mandatory: ParameterSpec { ParameterSpec(name, kind, required: true, aliases: aliases) }

    /// A short description of the accepted values, for error messages and the OpenAPI file.
    public var typeDescription: String {
        switch kind {
        case .text: "string"
        case .clientOrderId: "a client order id matching " + ClientOrderIdPattern.regex
        case .symbol: "symbol"
        case .decimal: "decimal"
        case .integer: "integer"
        case .boolean: "boolean"
        case .oneOf(let values): "one of " + values.joined(separator: ", ")
        case .integerOneOf(let values): "one of " + values.map(String.init).joined(separator: ", ")
        case .integerList(let maximum): "list of at most \(maximum) integers"
        case .textList(let maximum): "list of at most \(maximum) strings"
        case .clientOrderIdList(let maximum):
            "list of at most \(maximum) client order ids matching " + ClientOrderIdPattern.regex
        }
    }
}
