import Catalog

/// The answers of one `/v1/{call}` operation: 200 with the call's result and the headers that
/// come with it, then every status the gateway sends or passes through, each a named response of
/// `components/responses` in `openapi.yaml`. The statuses the exchange may add are covered by the
/// `4XX` and `5XX` ranges, so a generated client never meets an answer it was not told about.
enum CallResponses {
    /// The HTTP method of the operation: only a POST carries a body (413, 415).
    enum Method { case get, post }

    static func yaml(_ spec: CallSpec, method: Method) -> [String] {
        guard let result = ResponseSchemas.result(of: spec) else {
            preconditionFailure("ResponseSchemas has no result for \(spec.name)")
        }
        var lines = [
            "      responses:",
            "        \"200\":",
            "          description: The upstream `result`, byte for byte.",
            "          headers:",
        ]
        for header in headers(spec) {
            lines += ["            \(header):", "              $ref: \"#/components/headers/\(header)\""]
        }
        lines += ["          content:", "            application/json:", "              schema:"]
        lines += result.yaml().map { "                " + $0 }
        for (status, name) in refusals(spec, method: method) {
            lines += ["        \"\(status)\":", "          $ref: \"#/components/responses/\(name)\""]
        }
        return lines
    }

    /// The headers of a 200: where it went, the usage the upstream reported, and for calls that
    /// change state, whether it was applied and whether it is a replay.
    static func headers(_ spec: CallSpec) -> [String] {
        var headers = ["X-Gateway-Transport", "X-Request-Id", "X-MBX-USED-WEIGHT-1M"]
        if spec.orders > 0 { headers += ["X-MBX-ORDER-COUNT-10S", "X-MBX-ORDER-COUNT-1M", "X-Client-Order-Id"] }
        if spec.changesState { headers += ["X-Gateway-Outcome", "Idempotent-Replayed"] }
        if spec.possibleTargets.contains(.webSocket("order.place")) { headers.append("X-Gateway-Reconciled") }
        return headers
    }

    /// Each status other than 200, with the named response that describes it.
    static func refusals(_ spec: CallSpec, method: Method) -> [(status: String, response: String)] {
        var refusals = [("400", "BadRequest"), ("401", "Unauthorized"), ("403", "Forbidden")]
        if method == .post { refusals += [("413", "PayloadTooLarge"), ("415", "UnsupportedMediaType")] }
        refusals += [("418", "Banned"), ("421", "MisdirectedRequest")]
        if spec.changesState { refusals.append(("422", "IdempotencyConflict")) }
        refusals += [
            ("429", "RateLimited"), ("4XX", "ClientError"), ("502", "UpstreamFailed"),
            ("503", "UpstreamUnavailable"), ("504", "UpstreamTimeout"), ("5XX", "ServerError"),
        ]
        return refusals
    }
}
