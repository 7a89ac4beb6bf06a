import Catalog
import HTTP1
import HTTPServer
import RESTClient
import RequestWindow
import Signing
import Upstream

/// Sends one planned call over the transport its target names, and hands back one outcome.
/// Timestamps and signatures are made per attempt, so a resent request is fresh.
struct UpstreamSender: Sendable {
    let upstreams: GatewayUpstreams

    func send(_ plan: CallPlan, completion: @escaping @Sendable (Result<CallReply, UpstreamFailure>) -> Void) {
        let effect: RequestEffect = plan.changesState ? .stateChanging : .readOnly
        let metrics = upstreams.metrics
        let stopwatch = UpstreamStopwatch()
        switch plan.target {
        case .webSocket(let method):
            let encoder = upstreams.webSocketEncoder
            let clock = upstreams.clock
            let session = upstreams.session
            let arguments = plan.arguments
            let security = plan.security
            let request = UpstreamRequest(method: method, effect: effect) { id in
                stopwatch.markSent()
                return encoder.frame(
                    id: id, method: method, arguments, security: security, timestamp: clock.now(),
                    authorization: session.isLoggedOn ? .session : .signEach)
            }
            // Answers arrive on the upstream loop's queue, which holds no lock and which no other
            // loop ever waits for: the response may be written from here (`InlineResponses`).
            upstreams.webSocket.submit(request) { result in
                if case .success = result, let elapsed = stopwatch.elapsed {
                    metrics.recordUpstream(.ws, nanoseconds: elapsed)
                }
                InlineResponses.allowed { completion(result.map(CallReply.init(webSocket:))) }
            }
        case .rest(let method, let path):
            let encoder = upstreams.restEncoder
            let clock = upstreams.clock
            let arguments = plan.arguments
            let security = plan.security
            let request = RESTRequest(method: method, effect: effect) {
                stopwatch.markSent()
                let built = encoder.request(path: path, arguments, security: security, timestamp: clock.now())
                return (built.target, built.headers, [])
            }
            upstreams.rest.send(request) { result in
                if case .success = result, let elapsed = stopwatch.elapsed {
                    metrics.recordUpstream(.rest, nanoseconds: elapsed)
                }
                completion(result.map(CallReply.init(rest:)))
            }
        }
    }
}
