import Foundation
import HTTP1
import HTTPServer
import Upstream

/// Routes that talk to the upstream: readiness and the generic method pass-through.
struct UpstreamRoutes: Sendable {
    let multiplexer: UpstreamMultiplexer

    func add(to router: inout HTTPRouter) {
        router.add(.GET, "/readyz") { _, responder in readiness(responder) }
        router.add(.POST, prefix: "/v1/call/") { request, responder in passThrough(request, responder) }
    }

    /// 200 once the upstream connection is up, else 503; the body says why either way.
    private func readiness(_ responder: HTTPResponder) {
        multiplexer.status { status in
            func number(_ value: Int64?) -> String { value.map(String.init) ?? "null" }
            let body = #"{"status":"\#(status.connected ? "ready" : "not ready")","upstreamConnected":\#(status.connected),"#
                + #""connectedSince":\#(number(status.connectedSinceMillis)),"rotationDue":\#(number(status.rotationDueMillis)),"#
                + #""inFlight":\#(status.inFlight),"queued":\#(status.queued),"#
                + #""reconnects":\#(status.reconnects),"rotations":\#(status.rotations)}"#
            responder.respond(.json(status.connected ? .ok : .serviceUnavailable, body))
        }
    }

    /// `POST /v1/call/{method}`: any upstream WebSocket method, its params the JSON body,
    /// sent as they came (new upstream methods work the day they appear). Methods not known
    /// to be read-only are treated as state-changing: never resent after a disconnect.
    private func passThrough(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let segment = String(request.path.dropFirst("/v1/call/".count))
        let method = segment.removingPercentEncoding ?? segment
        guard Self.isValidMethodName(method) else { return responder.respond(RequestError.invalidMethodName(method)) }
        let params = request.body.isEmpty ? Array("{}".utf8) : request.body
        guard Self.isJSONObject(params) else { return responder.respond(RequestError.bodyNotAJSONObject) }
        let effect: UpstreamRequest.Effect = Self.readOnlyMethods.contains(method) ? .readOnly : .stateChanging
        let prefix = Array(#","method":\#(JSONText.quoted(method)),"params":"#.utf8)
        let upstream = UpstreamRequest(method: method, effect: effect) { id in
            var frame = Array(#"{"id":"#.utf8)
            frame.reserveCapacity(32 + prefix.count + params.count)
            frame.append(contentsOf: String(id).utf8)
            frame.append(contentsOf: prefix)
            frame.append(contentsOf: params)
            frame.append(UInt8(ascii: "}"))
            return frame
        }
        multiplexer.submit(upstream) { outcome in responder.respond(UpstreamResponse.make(outcome)) }
    }

    static let readOnlyMethods: Set<String> = [
        "depth", "ticker.price", "ticker.book", "order.status",
        "account.position", "v2/account.position", "account.balance", "v2/account.balance",
        "account.status", "v2/account.status", "session.status",
    ]

    static func isValidMethodName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
    }

    /// True when `bytes` are exactly one JSON object (so embedding them verbatim is safe).
    static func isJSONObject(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any]
    }
}
