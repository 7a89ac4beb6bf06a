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
    /// A fixed-length array whose items have these types in this order (a kline row).
    case tuple([ResponseSchema])
    case object(required: [String], properties: [Property])
    /// Exactly one of these shapes, e.g. an order or an algo order.
    case oneOf([ResponseSchema])

    public struct Property: Sendable, Equatable {
        public let name: String
        public let schema: ResponseSchema
    }

    /// An object from an ordered literal: `.object(required: ["orderId"], ["orderId": .integer, …])`.
    public static func object(required: [String], _ properties: KeyValuePairs<String, ResponseSchema>) -> ResponseSchema {
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
        case .tuple(let items):
            return ["type: array", "minItems: \(items.count)", "maxItems: \(items.count)", "prefixItems:"]
                + items.flatMap(Self.listItem)
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
        }
    }

    /// `- first line` and the rest indented under it.
    private static func listItem(_ schema: ResponseSchema) -> [String] {
        let lines = schema.yaml()
        return ["  - " + lines[0]] + lines.dropFirst().map { "    " + $0 }
    }
}
