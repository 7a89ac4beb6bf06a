import Catalog
import RawJSON

/// The generated parts of `openapi.yaml`, written from the catalog so the contract and the
/// server cannot drift: `futures-gateway-openapi` prints them, `scripts/openapi` splices them
/// into the file between its markers, and a test checks the file holds exactly this text.
public enum OpenAPICallPaths {
    public static let beginMarker = "  # BEGIN GENERATED CALLS (scripts/openapi; do not edit by hand)"
    public static let endMarker = "  # END GENERATED CALLS"

    public static let schemasBeginMarker = "    # BEGIN GENERATED SCHEMAS (scripts/openapi; do not edit by hand)"
    public static let schemasEndMarker = "    # END GENERATED SCHEMAS"

    /// The `paths` entries of every call.
    public static func yaml() -> String {
        var lines = [beginMarker]
        for spec in CallCatalog.all { lines += paths(spec) }
        lines.append(endMarker)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `components/schemas` entries of the calls' parameters (`ParameterSchema`) and answers
    /// (`ResponseSchemas`).
    public static func schemasYAML() -> String {
        var lines = [schemasBeginMarker]
        for (name, schema) in ParameterSchema.components() {
            lines.append("    \(name):")
            lines += schema.map { "      " + $0 }
        }
        for (name, schema) in ResponseSchemas.components {
            lines.append("    \(name):")
            lines += schema.yaml().map { "      " + $0 }
        }
        lines.append(schemasEndMarker)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func paths(_ spec: CallSpec) -> [String] {
        var lines = ["  /v1/\(spec.name):", "    post:"]
        lines += operation(spec, id: spec.name, method: .post)
        lines += [
            "      requestBody:",
            "        required: \(spec.parameters.contains(where: \.isRequired))",
            "        content:",
            "          application/json:",
            "            schema:",
            "              type: object",
            "              additionalProperties: false",
        ]
        let required = spec.parameters.filter(\.isRequired).map(\.name)
        if !required.isEmpty { lines.append("              required: [\(required.joined(separator: ", "))]") }
        if !spec.parameters.isEmpty { lines.append("              properties:") }
        for parameter in spec.parameters {
            lines.append("                \(parameter.name):")
            lines += ParameterSchema.yaml(parameter).map { "                  " + $0 }
        }
        if let example = CallExamples.body(spec.name) { lines.append("            example: \(example)") }
        guard spec.allowsGET else { return lines }
        lines.append("    get:")
        lines += operation(spec, id: spec.name + "_get", method: .get)
        guard !spec.parameters.isEmpty else { return lines }
        lines.append("      parameters:")
        for parameter in spec.parameters {
            lines += [
                "        - name: \(parameter.name)", "          in: query",
                "          required: \(parameter.isRequired)",
                "          schema:",
            ]
            lines += ParameterSchema.yaml(parameter).map { "            " + $0 }
            if let example = CallExamples.value(spec.name, parameter.name) {
                lines.append("          example: \(example)")
            }
        }
        return lines
    }

    private static func operation(_ spec: CallSpec, id: String, method: CallResponses.Method) -> [String] {
        var description =
            "Upstream: \(spec.target.isWebSocket ? "WebSocket method" : "REST") `\(spec.target.description)`"
        description += spec.security == .signed ? ", signed by the gateway." : "."
        if !spec.requiresOneOf.isEmpty {
            description +=
                " Needs one of "
                + spec.requiresOneOf.map { $0.map { "`\($0)`" }.joined(separator: " or ") }
                .joined(separator: "; ") + "."
        }
        for parameter in spec.parameters {
            for alias in parameter.aliases {
                description +=
                    " `\(alias)` (python-binance's spelling) is taken as `\(parameter.name)`; a request with both is -1101."
            }
        }
        var lines = [
            "      operationId: \(id)",
            "      summary: \(JSONString.quoted(spec.summary))",
            "      description: \(JSONString.quoted(description))",
            "      tags: [\(tag(spec))]",
        ]
        if spec.changesState {
            lines += ["      parameters:", "        - $ref: \"#/components/parameters/Idempotency-Key\""]
        }
        return lines + CallResponses.yaml(spec, method: method)
    }

    private static func tag(_ spec: CallSpec) -> String {
        if spec.changesState {
            return spec.target == .rest(.POST, "/fapi/v1/leverage")
                || spec.target == .rest(.POST, "/fapi/v1/marginType")
                || spec.target == .rest(.POST, "/fapi/v1/positionMargin")
                ? "settings" : "orders"
        }
        switch spec.security {
        case .signed: return spec.name.contains("order") ? "orders" : "account"
        case .none, .apiKey: return "market-data"
        }
    }
}
