import RawJSON

/// The JSON schema of an answer's shape, small enough to write answers down as a table
/// (`ResponseSchemas`) and rendered to the YAML of `openapi.yaml`.
///
/// Properties keep their order, which is the order the exchange sends them in. Objects stay
/// open (no `additionalProperties: false`): the exchange adds fields, and a client must not break.
public indirect enum ResponseSchema: Sendable, Equatable {
    case string
    case integer
    case number
    case boolean
    /// A string or `null` (`icebergQuantity`).
    case nullableString
    /// A named schema under `components/schemas`.
    case ref(String)
    case array(ResponseSchema)
    /// An array of exactly `count` items (a price level, a kline row). Not `prefixItems`: several
    /// generators lose the item types of a tuple, so a row's fields are told in its description.
    case fixedArray(ResponseSchema, count: Int)
    case object(required: [String], properties: [Property])
    /// Exactly one of these shapes, e.g. an order or an algo order.
    case oneOf([ResponseSchema])
    /// All of these shapes at once; with one, the same shape under another name.
    case allOf([ResponseSchema])
    /// A schema with a description.
    case described(String, ResponseSchema)

    public struct Property: Sendable, Equatable {
        public let name: String
        public let schema: ResponseSchema
    }

    /// An object from an ordered literal: `.object(required: ["orderId"], ["orderId": .integer, …])`.
    public static func object(required: [String], _ properties: KeyValuePairs<String, ResponseSchema>) -> ResponseSchema
    {
        .object(required: required, properties: properties.map { Property(name: $0.key, schema: $0.value) })
    }

    /// The schema as YAML lines, without indentation of their own.
    public func yaml() -> [String] {
        switch self {
        case .string: return ["type: string"]
        case .integer: return ["type: integer", "format: int64"]
        case .number: return ["type: number"]
        case .boolean: return ["type: boolean"]
        case .nullableString: return [#"type: [string, "null"]"#]
        case .ref(let name): return ["$ref: \"#/components/schemas/\(name)\""]
        case .array(let items): return ["type: array", "items:"] + items.yaml().map { "  " + $0 }
        case .fixedArray(let items, let count):
            return ["type: array", "minItems: \(count)", "maxItems: \(count)", "items:"]
                + items.yaml().map { "  " + $0 }
        case .object(let required, let properties):
            var lines = ["type: object"]
            if !required.isEmpty { lines.append("required: [\(required.joined(separator: ", "))]") }
            if !properties.isEmpty { lines.append("properties:") }
            for property in properties {
                lines.append("  \(JSONString.quoted(property.name)):")
                lines += property.schema.yaml().map { "    " + $0 }
            }
            return lines
        case .oneOf(let schemas):
            return ["oneOf:"] + schemas.flatMap(Self.listItem)
        case .allOf(let schemas):
            return ["allOf:"] + schemas.flatMap(Self.listItem)
        case .described(let description, let schema):
            return ["description: \(JSONString.quoted(description))"] + schema.yaml()
        }
    }

    /// `- first line` and the rest indented under it.
    private static func listItem(_ schema: ResponseSchema) -> [String] {
        let lines = schema.yaml()
        return ["  - " + lines[0]] + lines.dropFirst().map { "    " + $0 }
    }
}
