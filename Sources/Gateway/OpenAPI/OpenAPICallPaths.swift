import Catalog
import HTTPServer
import RawJSON

/// The `/v1/{call}` part of `openapi.yaml`, written from the catalog so the contract and the
/// server cannot drift: `futures-gateway openapi-calls` prints it, `scripts/openapi` splices it
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

    /// The `components/schemas` entries of the calls' answers (`ResponseSchemas`).
    public static func schemasYAML() -> String {
        var lines = [schemasBeginMarker]
        for (name, schema) in ResponseSchemas.components {
            lines.append("    \(name):")
            lines += schema.yaml().map { "      " + $0 }
        }
        lines.append(schemasEndMarker)
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
        if let example = CallExamples.body(spec.name) { lines.append("            example: \(example)") }
        guard spec.allowsGET else { return lines }
        lines.append("    get:")
        lines += operation(spec, id: spec.name + "_get")
        lines.append("      parameters:")
        for parameter in spec.parameters {
            for name in [parameter.name] + parameter.aliases {
                lines += ["        - name: \(name)", "          in: query", "          required: \(parameter.isRequired && name == parameter.name)",
                          "          schema:"]
                lines += schema(parameter, alias: name != parameter.name).map { "            " + $0 }
                if name == parameter.name, let example = CallExamples.value(spec.name, name) {
                    lines.append("          example: \(example)")
                }
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
        return lines + responses(spec)
    }

    /// 200 with the call's result shape and the gateway's headers, then each refusal the call can get.
    private static func responses(_ spec: CallSpec) -> [String] {
        guard let result = ResponseSchemas.result(of: spec) else {
            preconditionFailure("ResponseSchemas has no result for \(spec.name)")
        }
        var lines = ["      responses:",
                     "        \"200\":",
                     "          description: The upstream `result`, byte for byte.",
                     "          headers:"]
        var headers = ["X-Gateway-Transport", "X-Request-Id", "X-MBX-USED-WEIGHT-1M"]
        if spec.orders > 0 { headers += ["X-MBX-ORDER-COUNT-10S", "X-MBX-ORDER-COUNT-1M", "X-Client-Order-Id"] }
        for header in headers {
            lines += ["            \(header):", "              $ref: \"#/components/headers/\(header)\""]
        }
        lines += ["          content:", "            application/json:", "              schema:"]
        lines += result.yaml().map { "                " + $0 }
        var refusals = [("400", "BadRequest")]
        if spec.security == .signed { refusals.append(("401", "NoCredentials")) }
        if spec.changesState { refusals.append(("422", "IdempotencyConflict")) }
        refusals += [("403", "CrossOrigin"), ("415", "NotJSON"), ("418", "Banned"), ("421", "MisdirectedHost"),
                     ("429", "RateLimited"), ("502", "UpstreamFailed"), ("503", "UpstreamUnavailable"),
                     ("504", "UpstreamTimeout")]
        // No `default`: a status not listed here is a bug the conformance run (scripts/conformance) finds.
        for (status, name) in refusals {
            lines += ["        \"\(status)\":", "          $ref: \"#/components/responses/\(name)\""]
        }
        return lines
    }

    private static func schema(_ parameter: ParameterSpec, alias: Bool) -> [String] {
        var lines: [String]
        switch parameter.kind {
        case .text: lines = ["type: string"]
        case .clientOrderId: lines = ["type: string", #"pattern: "^[\\.A-Z\\:/a-z0-9_-]{1,36}$""#]
        case .symbol: lines = ["type: string", #"pattern: "^[A-Z0-9_.-]{1,32}$""#]
        case .decimal: lines = ["type: [string, number]", #"pattern: "^[0-9]{1,20}(\\.[0-9]{1,20})?$""#]
        case .integer: lines = ["type: [integer, string]", #"pattern: "^[0-9]{1,19}$""#]
        case .boolean: lines = ["oneOf:", "  - type: boolean", "  - type: string", #"    enum: ["true", "false"]"#]
        case .oneOf(let values): lines = ["type: string", "enum: [\(values.map { JSONString.quoted($0) }.joined(separator: ", "))]"]
        case .integerOneOf(let values): lines = ["type: integer", "enum: [\(values.map(String.init).joined(separator: ", "))]"]
        case .integerList(let maximum): lines = ["type: [array, string]", "maxItems: \(maximum)", "items:", "  type: integer"]
        case .textList(let maximum): lines = ["type: [array, string]", "maxItems: \(maximum)", "items:", "  type: string"]
        case .clientOrderIdList(let maximum):
            lines = ["type: [array, string]", "maxItems: \(maximum)", "items:", "  type: string",
                     #"  pattern: "^[\\.A-Z\\:/a-z0-9_-]{1,36}$""#]
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
