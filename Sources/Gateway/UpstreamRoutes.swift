import Catalog
import HTTP1
import HTTPServer
import RawJSON
import Signing
import Upstream

/// Routes that talk to the upstream directly: readiness and the generic method pass-through.
struct UpstreamRoutes: Sendable {
    let executor: CallExecutor
    /// Readiness waits for it: requests in flight at start are reconciled first.
    let recovery: JournalRecovery?

    private var upstreams: GatewayUpstreams { executor.upstreams }

    func add(to router: inout HTTPRouter) {
        router.add(.GET, "/readyz") { _, responder in readiness(responder) }
        let metrics = upstreams.metrics
        router.add(.POST, prefix: "/v1/call/") { request, responder in
            let segment = String(request.path.dropFirst("/v1/call/".count))
            let method = QueryEncoding.unescape(segment[...]) ?? segment
            // The method is one path segment: its `/` comes percent-encoded (`v2%2Faccount.status`).
            let isOneSegment = !segment.contains("/")
            let series = metrics.series(
                for: isOneSegment && Self.isValidMethodName(method) ? "call/" + method : "call/invalid")
            metrics.measure(series, responder) { responder in
                guard isOneSegment else {
                    var response = HTTPResponse.error(RequestError.unencodedSlash(segment))
                    response.headers.set("X-Request-Id", CallRoutes.requestId(request.headers))
                    return responder.respond(response)
                }
                passThrough(request, method, responder)
            }
        }
    }

    /// 200 once the upstream connection is up and the journal's requests in flight at start are
    /// reconciled, else 503; the body says why either way.
    private func readiness(_ responder: HTTPResponder) {
        let session = upstreams.session.isLoggedOn
        let offset = upstreams.clock.offsetMillis
        let recovered = recovery?.isDone ?? true
        upstreams.webSocket.status { [upstreams] status in
            // Read on the upstream loop, which the REST client shares: no event loop waits for another.
            let rest = upstreams.rest.status
            func number(_ value: Int64?) -> String { value.map(String.init) ?? "null" }
            let ready = status.connected && recovered
            let body =
                #"{"status":"\#(ready ? "ready" : "not ready")","upstreamConnected":\#(status.connected),"#
                + #""connectedSince":\#(number(status.connectedSinceMillis)),"rotationDue":\#(number(status.rotationDueMillis)),"#
                + #""inFlight":\#(status.inFlight),"queued":\#(status.queued),"#
                + #""reconnects":\#(status.reconnects),"rotations":\#(status.rotations),"#
                + #""sessionLoggedOn":\#(session),"clockOffsetMillis":\#(offset),"journalRecovered":\#(recovered),"#
                + #""rest":{"protocol":\#(JSONText.quoted(rest.protocolName ?? "")),"connected":\#(rest.connected)}}"#
            responder.respond(.json(ready ? .ok : .serviceUnavailable, body))
        }
    }

    /// `POST /v1/call/{method}`: any upstream WebSocket method, its params the JSON body
    /// (new upstream methods work the day they appear). Methods the catalog knows are signed
    /// as it says; others are sent as they came, or signed with `?signed=true`. Methods not
    /// known to be read-only are treated as state-changing: never resent after a disconnect.
    /// They run as catalog calls do (local limits, -1021 retry, logging), with weight 1.
    private func passThrough(_ request: HTTPRequest, _ method: String, _ responder: HTTPResponder) {
        let requestId = CallRoutes.requestId(request.headers)
        func refuse(_ error: some APIError) {
            var response = HTTPResponse.error(error)
            response.headers.set("X-Request-Id", requestId)
            responder.respond(response)
        }
        guard Self.isValidMethodName(method) else { return refuse(RequestError.invalidMethodName(method)) }
        let params = request.body.isEmpty ? Array("{}".utf8) : request.body
        var scanner = RawJSONScanner(params)
        guard let members = try? scanner.document() else { return refuse(RequestError.bodyNotAJSONObject) }
        let security =
            CallCatalog.security(ofWebSocketMethod: method)
            ?? (request.query?.split(separator: "&").contains("signed=true") == true ? .signed : .none)
        let plan = CallPlan(
            call: "call/" + method, target: .webSocket(method), security: security,
            changesState: !CallCatalog.isReadOnly(webSocketMethod: method),
            arguments: Self.arguments(members), weight: 1, orders: 0, clientOrderIdKey: nil)
        executor.execute(plan, requestId: requestId) { response, _ in responder.respond(response) }
    }

    /// Params as sent: strings as strings, every other value as its exact JSON text.
    static func arguments(_ members: [RawJSONScanner.Member]) -> CallArguments {
        CallArguments(
            members.map { member in
                switch member.value {
                case .string(let text): (member.key, .text(text))
                case .raw(let text), .object(_, let text): (member.key, .list(text))
                }
            })
    }

    static func isValidMethodName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }
}
