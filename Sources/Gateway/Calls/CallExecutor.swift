import Catalog
import HTTP1
import HTTPServer
import Logging
import Pacing
import Upstream

/// Runs one validated call: assigns a client order id, checks the local rate limits, sends,
/// recovers from a clock-skew rejection, and finds out the truth when the connection dies
/// with an order in flight. Exactly one response per call.
struct CallExecutor: Sendable {
    /// Gets the one answer to a call, and what it proves about the call's effect.
    typealias Respond = @Sendable (HTTPResponse, CallEffect) -> Void

    let upstreams: GatewayUpstreams
    let clockSync: ClockSync

    private var sender: UpstreamSender { UpstreamSender(upstreams: upstreams) }

    func execute(_ plan: CallPlan, requestId: String, idempotencyKey: String?, respond: @escaping Respond) {
        var plan = plan
        if plan.security != .none, upstreams.credentials == nil { return respond(.error(CallRefusal.noCredentials), .none) }
        if let key = plan.clientOrderIdKey, !plan.arguments.contains(key) {
            let id = idempotencyKey.map(ClientOrderIds.from(idempotencyKey:)) ?? ClientOrderIds.generate()
            plan.arguments.set(key, .text(id))
        }
        var callLogger = upstreams.logger  // every line about this call carries its request id
        callLogger[metadataKey: "requestId"] = "\(requestId)"
        let logger = callLogger
        let finish: Respond = { [plan] response, effect in
            var response = response
            response.headers.set("X-Request-Id", requestId)
            if let id = plan.clientOrderId { response.headers.set("X-Client-Order-Id", id) }
            logger.debug("call answered", metadata: [
                "call": "\(plan.call)", "upstream": "\(plan.target.description)",
                "status": "\(response.status.code)", "clientOrderId": "\(plan.clientOrderId ?? "")",
            ])
            respond(response, effect)
        }
        attempt(plan, retriesLeft: 1, logger: logger, respond: finish)
    }

    /// One attempt; `retriesLeft` allows the single resend after -1021.
    private func attempt(_ plan: CallPlan, retriesLeft: Int, logger: Logger, respond: @escaping Respond) {
        if case .refused(let kind, let retryAfterMillis, let reason) = upstreams.limits.admit(weight: plan.weight,
                                                                                             orders: plan.orders) {
            upstreams.metrics.recordLocalRefusal(kind)
            return respond(.error(CallRefusal.rateLimited(kind: kind, retryAfterMillis: retryAfterMillis, reason: reason)), .none)
        }
        sender.send(plan) { [self] outcome in
            switch outcome {
            case .success(let reply):
                observe(reply)
                if reply.errorCode == -1021, retriesLeft > 0 {
                    // Rejected before execution: safe to resend, once, after a resync.
                    logger.notice("upstream rejected a timestamp (-1021); resynchronizing and retrying once",
                                  metadata: ["call": "\(plan.call)"])
                    return clockSync.resync { _ in attempt(plan, retriesLeft: retriesLeft - 1, logger: logger, respond: respond) }
                }
                respond(Self.response(reply), CallEffect(status: reply.status, errorCode: reply.errorCode))
            case .failure(let failure):
                if OrderReconciler.applies(to: plan, failure: failure) {
                    return OrderReconciler(sender: sender, logger: logger).reconcile(plan, after: failure, respond: respond)
                }
                respond(Self.response(failure, plan: plan), CallEffect(failure))
            }
        }
    }

    private func observe(_ reply: CallReply) {
        if let rateLimits = reply.rateLimits {
            upstreams.limits.observe(rateLimits)
        } else {
            upstreams.limits.observe(restHeaders: reply.usageHeaders)
        }
        if reply.status == 429 || reply.status == 418 {
            upstreams.limits.upstreamRefused(status: reply.status, code: reply.errorCode ?? 0,
                                             message: reply.errorMessage, retryAfterSeconds: reply.retryAfter)
        }
    }

    static func response(_ reply: CallReply) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "X-Gateway-Transport": reply.transport.rawValue]
        for field in reply.usageHeaders { headers.set(field.name, field.value) }
        if let retryAfter = reply.retryAfter { headers.set("Retry-After", String(retryAfter)) }
        return HTTPResponse(status: HTTPStatus(code: reply.status), headers: headers, body: reply.body)
    }

    static func response(_ failure: UpstreamFailure, plan: CallPlan) -> HTTPResponse {
        var response = HTTPResponse.error(CallRefusal.upstream(failure, clientOrderId: plan.clientOrderId))
        response.headers.set("X-Gateway-Transport", plan.target.isWebSocket ? "ws" : "rest")
        return response
    }
}
