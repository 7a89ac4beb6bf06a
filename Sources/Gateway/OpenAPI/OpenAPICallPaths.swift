import Catalog
import HTTPServer
import RawJSON

/// The `/v1/{call}` part of `openapi.yaml`, written from the catalog so the contract and the
/// server cannot drift: `futures-gateway openapi-calls` prints it, `scripts/openapi` splices it
/// into the file between its markers, and a test checks the file holds exactly this text.
public enum OpenAPICallPaths {
    public static let beginMarker = "  # BEGIN GENERATED CALLS (scripts/openapi; do not edit by hand)"
    public static let endMarker = "  # END GENERATED CALLS"

    public static func yaml() -> String {
        var lines = [beginMarker]
        for spec in CallCatalog.all { lines += paths(spec) }
        lines.append(endMarker)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func paths(_ spec: CallSpec) -> [String] {
        var lines = ["  /v1/\(spec.name):", "    post:"]
        lines += operation(spec, id: spec.name)
        lines += ["      requestBody:",
                  "        required: \(spec.parameters.contains(where: \.isRequired))",
                  "        content:",
                  "          application/json:",
                  "            schema:",
                  "              type: object",
                  "              additionalProperties: false"]
        let required = spec.parameters.filter(\.isRequired).map(\.name)
        if !required.isEmpty { lines.append("              required: [\(required.joined(separator: ", "))]") }
        if !spec.parameters.isEmpty { lines.append("              properties:") }
        for parameter in spec.parameters {
            for name in [parameter.name] + parameter.aliases {
                lines.append("                \(name):")
                lines += schema(parameter, alias: name != parameter.name).map { "                  " + $0 }
            }
        }
        guard spec.allowsGET else { return lines }
        lines.append("    get:")
        lines += operation(spec, id: spec.name + "_get")
        lines.append("      parameters:")
        for parameter in spec.parameters {
            for name in [parameter.name] + parameter.aliases {
                lines += ["        - name: \(name)", "          in: query", "          required: \(parameter.isRequired && name == parameter.name)",
                          "          schema:"]
                lines += schema(parameter, alias: name != parameter.name).map { "            " + $0 }
            }
        }
        return lines
    }

    private static func operation(_ spec: CallSpec, id: String) -> [String] {
        var description = "Upstream: \(spec.target.isWebSocket ? "WebSocket method" : "REST") `\(spec.target.description)`"
        description += spec.security == .signed ? ", signed by the gateway." : "."
        if !spec.requiresOneOf.isEmpty {
            description += " Needs one of " + spec.requiresOneOf.map { $0.map { "`\($0)`" }.joined(separator: " or ") }
                .joined(separator: "; ") + "."
        }
        var lines = ["      operationId: \(id)",
                     "      summary: \(JSONString.quoted(spec.summary))",
                     "      description: \(JSONString.quoted(description))",
                     "      tags: [\(tag(spec))]"]
        if spec.changesState { lines += ["      parameters:", "        - $ref: \"#/components/parameters/Idempotency-Key\""] }
        lines += ["      responses:",
                  "        \"200\":",
                  "          $ref: \"#/components/responses/CallResult\"",
                  "        default:",
                  "          $ref: \"#/components/responses/Error\""]
        return lines
    }

    private static func schema(_ parameter: ParameterSpec, alias: Bool) -> [String] {
        var lines: [String]
        switch parameter.kind {
        case .text: lines = ["type: string"]
        case .symbol: lines = ["type: string", #"pattern: "^[A-Z0-9_.-]{1,32}$""#]
        case .decimal: lines = ["type: [string, number]", #"pattern: "^[0-9]{1,20}(\\.[0-9]{1,20})?$""#]
        case .integer: lines = ["type: [integer, string]", #"pattern: "^[0-9]{1,19}$""#]
        case .boolean: lines = ["type: [boolean, string]", #"enum: [true, false, "true", "false"]"#]
        case .oneOf(let values): lines = ["type: string", "enum: [\(values.map { JSONString.quoted($0) }.joined(separator: ", "))]"]
        case .integerOneOf(let values): lines = ["type: integer", "enum: [\(values.map(String.init).joined(separator: ", "))]"]
        case .integerList(let maximum): lines = ["type: [array, string]", "maxItems: \(maximum)", "items:", "  type: integer"]
        case .textList(let maximum): lines = ["type: [array, string]", "maxItems: \(maximum)", "items:", "  type: string"]
        }
        if alias { lines.append("description: \(JSONString.quoted("Alias of `\(parameter.name)` (python-binance's spelling)."))") }
        return lines
    }

    private static func tag(_ spec: CallSpec) -> String {
        if spec.changesState { return spec.target == .rest(.POST, "/fapi/v1/leverage")
            || spec.target == .rest(.POST, "/fapi/v1/marginType") || spec.target == .rest(.POST, "/fapi/v1/positionMargin")
            ? "settings" : "orders" }
        switch spec.security {
        case .signed: return spec.name.contains("order") ? "orders" : "account"
        case .none, .apiKey: return "market-data"
        }
    }
}
