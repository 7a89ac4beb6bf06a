import Catalog
import HTTP1
import HTTPServer
import RESTClient
import Signing
import Upstream

/// Sends one planned call over the transport its target names, and hands back one outcome.
/// Timestamps and signatures are made per attempt, so a resent request is fresh.
struct UpstreamSender: Sendable {
    let upstreams: GatewayUpstreams

    func send(_ plan: CallPlan, completion: @escaping @Sendable (Result<CallReply, UpstreamFailure>) -> Void) {
        let effect: UpstreamRequest.Effect = plan.changesState ? .stateChanging : .readOnly
        switch plan.target {
        case .webSocket(let method):
            let encoder = upstreams.webSocketEncoder
            let clock = upstreams.clock
            let session = upstreams.session
            let arguments = plan.arguments
            let security = plan.security
            let request = UpstreamRequest(method: method, effect: effect) { id in
                encoder.frame(id: id, method: method, arguments, security: security, timestamp: clock.now(),
                              authorization: session.isLoggedOn ? .session : .signEach)
            }
            // Answers arrive on the multiplexer's queue, which holds no lock and which no HTTP loop
            // ever waits for: the response may be written from here (`InlineResponses`).
            upstreams.webSocket.submit(request) { result in
                InlineResponses.allowed { completion(result.map(CallReply.init(webSocket:))) }
            }
        case .rest(let method, let path):
            let encoder = upstreams.restEncoder
            let clock = upstreams.clock
            let arguments = plan.arguments
            let security = plan.security
            let request = RESTRequest(method: method, effect: effect) {
                let built = encoder.request(path: path, arguments, security: security, timestamp: clock.now())
                return (built.target, built.headers, [])
            }
            upstreams.rest.send(request) { completion($0.map(CallReply.init(rest:))) }
        }
    }
}
