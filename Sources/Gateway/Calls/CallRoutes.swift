import Catalog
import HTTP1
import HTTPServer
import OpenSSL
import RawJSON
import Signing

/// `/v1/{call}` for every catalog call: POST with a JSON object of parameters, and GET with a
/// query string for calls that change nothing (GET on the others is 405). `GET /v1/calls`
/// lists the catalog.
struct CallRoutes: Sendable {
    let executor: CallExecutor
    let idempotency: IdempotencyStore

    func add(to router: inout HTTPRouter) {
        router.add(.GET, "/v1/calls") { _ in .json(.ok, CallListing.json) }
        let metrics = executor.upstreams.metrics
        for spec in CallCatalog.all {
            let path = "/v1/" + spec.name
            router.add(
                .POST, path,
                metrics.instrument(call: spec.name) { request, responder in
                    call(spec, request, responder) { () throws(CallError) in
                        try ArgumentReader(spec: spec).read(jsonBody: request.body)
                    }
                })
            guard spec.allowsGET else { continue }
            router.add(
                .GET, path,
                metrics.instrument(call: spec.name) { request, responder in
                    call(spec, request, responder) { () throws(CallError) in
                        try ArgumentReader(spec: spec).read(query: try Self.queryItems(request.query))
                    }
                })
        }
    }

    private func call(
        _ spec: CallSpec, _ request: HTTPRequest, _ responder: HTTPResponder,
        read: () throws(CallError) -> CallArguments
    ) {
        let requestId = Self.requestId(request.headers)
        /// A refusal before anything is sent: nothing happened.
        func refuse(_ refusal: CallRefusal) {
            var response = HTTPResponse.error(refusal)
            response.headers.set("X-Request-Id", requestId)
            if spec.changesState { response.stamp(outcome: .notSent) }
            responder.respond(response)
        }
        let plan: CallPlan
        do {
            plan = try spec.plan(try read())
        } catch {
            return refuse(.invalid(error))
        }
        guard let key = request.headers["Idempotency-Key"], spec.changesState else {
            return executor.execute(plan, requestId: requestId) { response, _ in responder.respond(response) }
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return refuse(.malformedIdempotencyKey)
        }
        // The call and its parameters as read (names and values, not the body's spelling).
        let fingerprint = Digest.sha256(
            Array(spec.name.utf8)
                + plan.arguments.entries.flatMap { entry in
                    [0] + Array(entry.name.utf8) + [1] + Array(entry.value.jsonText.utf8)
                })
        // A replayed answer carries this request's id, not the first one's.
        let waiter: @Sendable (HTTPResponse) -> Void = { response in
            var response = response
            response.headers.set("X-Request-Id", requestId)
            responder.respond(response)
        }
        switch idempotency.claim(key, fingerprint: fingerprint, waiter: waiter) {
        case .run:
            let claim = IdempotencyClaim(key: key, fingerprint: fingerprint)
            executor.execute(plan, requestId: requestId, claim: claim) { [idempotency] response, effect in
                idempotency.finish(key, response, keep: effect.isFinal)
                responder.respond(response)
            }
        case .wait:
            break
        case .conflict:
            refuse(.idempotencyConflict)
        }
    }

    /// The client's `X-Request-Id` when it is a sane token, else a new one.
    static func requestId(_ headers: HTTPHeaders) -> String {
        if let given = headers["X-Request-Id"], (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            return given
        }
        return RequestIds.next()
    }

    static func queryItems(_ query: Substring?) throws(CallError) -> [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = QueryEncoding.unescape(parts[0]),
                let value = QueryEncoding.unescape(parts.count > 1 ? parts[1] : "")
            else {
                throw .malformedBody("bad percent-encoding in the query string")
            }
            items.append((name, value))
        }
        return items
    }
}

/// `GET /v1/calls`: the catalog as JSON, for people and tools.
enum CallListing {
    static let json: String = {
        let entries = CallCatalog.all.map { spec in
            let parameters = spec.parameters.map { parameter in
                #"{"name":\#(JSONString.quoted(parameter.name)),"required":\#(parameter.isRequired),"#
                    + #""type":\#(JSONString.quoted(parameter.typeDescription))}"#
            }
            return
                #"{"call":\#(JSONString.quoted(spec.name)),"upstream":\#(JSONString.quoted(spec.target.description)),"#
                + #""signed":\#(spec.security == .signed),"changesState":\#(spec.changesState),"#
                + #""summary":\#(JSONString.quoted(spec.summary)),"parameters":[\#(parameters.joined(separator: ","))]}"#
        }
        return "[" + entries.joined(separator: ",") + "]"
    }()
}
