import Catalog
import EventLoops
import HTTP1
import HTTPServer
import Journal
import Logging
import Pacing
import RequestWindow
import Upstream

/// Runs one validated call: assigns a client order id, checks the local rate limits, sends,
/// recovers from a clock-skew rejection, and finds out the truth when a state-changing call's
/// outcome is unknown (`OutcomeReconciler`). Exactly one response per call; every answer to a
/// state-changing call carries its outcome (`X-Gateway-Outcome`).
struct CallExecutor: Sendable {
    /// Gets the one answer to a call, and what it proves about the call's effect.
    typealias Respond = @Sendable (HTTPResponse, CallEffect) -> Void

    let upstreams: GatewayUpstreams
    let clockSync: ClockSync
    /// Where state-changing calls are recorded before they are sent; `nil` keeps no record.
    let journal: CallJournal?

    private var sender: UpstreamSender { UpstreamSender(upstreams: upstreams) }

    func execute(_ plan: CallPlan, requestId: String, claim: IdempotencyClaim? = nil, respond: @escaping Respond) {
        var plan = plan
        if plan.security != .none, upstreams.credentials == nil {
            return respond(
                Self.decorated(.error(CallRefusal.noCredentials), plan, requestId: requestId, .notSent), .notSent)
        }
        if let key = plan.clientOrderIdKey, !plan.arguments.contains(key) {
            let id = claim.map { ClientOrderIds.from(idempotencyKey: $0.key) } ?? ClientOrderIds.generate()
            plan.arguments.set(key, .text(id))
        }
        var callLogger = upstreams.logger  // every line about this call carries its request id
        callLogger[metadataKey: "requestId"] = "\(requestId)"
        let logger = callLogger
        guard plan.changesState, let journal else {
            return attempt(
                plan, retriesLeft: 1, logger: logger,
                respond: finisher(plan, requestId: requestId, journalId: nil, logger: logger, respond: respond))
        }
        let entry = JournalRecord.entry(
            plan, requestId: requestId, claim: claim, nowMillis: ServerClock.wallClockMillis())
        journal.begin(entry) { [plan] journalId in
            guard let journalId else {
                return respond(
                    Self.decorated(.error(CallRefusal.journalUnavailable), plan, requestId: requestId, .notSent),
                    .notSent)
            }
            attempt(
                plan, retriesLeft: 1, logger: logger,
                respond: finisher(plan, requestId: requestId, journalId: journalId, logger: logger, respond: respond))
        }
    }

    /// What runs with the call's one answer: headers, the log line, the journal's record.
    private func finisher(
        _ plan: CallPlan, requestId: String, journalId: Int64?, logger: Logger,
        respond: @escaping Respond
    ) -> Respond {
        { [journal] response, effect in
            let response = Self.decorated(response, plan, requestId: requestId, effect)
            logger.debug(
                "call answered",
                metadata: [
                    "call": "\(plan.call)", "upstream": "\(plan.target.description)",
                    "status": "\(response.status.code)", "clientOrderId": "\(plan.clientOrderId ?? "")",
                ])
            if let journalId {
                journal?.finish(
                    journalId, outcome: effect.word, answer: JournalRecord.answer(response),
                    finishedMillis: ServerClock.wallClockMillis())
            }
            respond(response, effect)
        }
    }

    /// The headers every answer to a call carries: its request id, its client order id and,
    /// for a state-changing call, its outcome.
    static func decorated(
        _ response: HTTPResponse, _ plan: CallPlan, requestId: String, _ effect: CallEffect
    ) -> HTTPResponse {
        var response = response
        response.headers.set("X-Request-Id", requestId)
        if let id = plan.clientOrderId { response.headers.set("X-Client-Order-Id", id) }
        if plan.changesState { response.stamp(outcome: effect) }
        return response
    }

    /// Finds out what an interrupted call did (see `OutcomeReconciler`). `sentAfter` (exchange
    /// time, ms) bounds when it was sent; by default it is one request timeout (and a second) ago.
    func reconcile(
        _ plan: CallPlan, _ uncertainty: Uncertainty, sentAfter: Int64? = nil, unknown: HTTPResponse,
        respond: @escaping Respond
    ) {
        let since = sentAfter ?? upstreams.clock.now() - upstreams.webSocket.requestTimeout.milliseconds - 1000
        OutcomeReconciler(sender: sender, logger: upstreams.logger).reconcile(
            plan, uncertainty, sentAfter: since, unknown: unknown,
            respond: respond)
    }

    /// One attempt; `retriesLeft` allows the single resend after -1021.
    private func attempt(_ plan: CallPlan, retriesLeft: Int, logger: Logger, respond: @escaping Respond) {
        if case .refused(let kind, let retryAfterMillis, let reason) = upstreams.limits.admit(
            weight: plan.weight,
            orders: plan.orders)
        {
            upstreams.metrics.recordLocalRefusal(kind)
            return respond(
                .error(CallRefusal.rateLimited(kind: kind, retryAfterMillis: retryAfterMillis, reason: reason)),
                .notSent)
        }
        sender.send(plan) { [self] outcome in
            switch outcome {
            case .success(let reply):
                observe(reply)
                if reply.errorCode == -1021, retriesLeft > 0 {
                    // Rejected before execution: safe to resend, once, after a resync.
                    logger.notice(
                        "upstream rejected a timestamp (-1021); resynchronizing and retrying once",
                        metadata: ["call": "\(plan.call)"])
                    return clockSync.resync { _ in
                        attempt(plan, retriesLeft: retriesLeft - 1, logger: logger, respond: respond)
                    }
                }
                let page = reply.transport == .rest ? UpstreamPage(status: reply.status, body: reply.body) : nil
                let response = page.map { Self.response($0, reply) } ?? Self.response(reply)
                let effect =
                    page.map { (400..<500).contains($0.status) ? .rejected : .unknown }
                    ?? CallEffect(status: reply.status, errorCode: reply.errorCode)
                guard plan.changesState, effect == .unknown else { return respond(response, effect) }
                reconcile(plan, .upstreamAnswer, unknown: response, respond: respond)
            case .failure(let failure):
                let effect = CallEffect(failure)
                guard plan.changesState, effect == .unknown else {
                    return respond(Self.response(failure, plan: plan), effect)
                }
                reconcile(
                    plan, failure == .timedOut ? .timedOut : .lost, unknown: Self.response(failure, plan: plan),
                    respond: respond)
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
            upstreams.limits.upstreamRefused(
                status: reply.status, code: reply.errorCode ?? 0,
                message: reply.errorMessage, retryAfterSeconds: reply.retryAfter)
        }
    }

    static func response(_ reply: CallReply) -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Content-Type": "application/json", "X-Gateway-Transport": reply.transport.rawValue,
        ]
        for field in reply.usageHeaders { headers.set(field.name, field.value) }
        if let retryAfter = reply.retryAfter { headers.set("Retry-After", String(retryAfter)) }
        return HTTPResponse(status: HTTPStatus(code: reply.status), headers: headers, body: reply.body)
    }

    /// The gateway's JSON error for an upstream page that is not JSON, with the upstream's usage headers.
    static func response(_ page: UpstreamPage, _ reply: CallReply) -> HTTPResponse {
        var response = HTTPResponse.error(CallRefusal.upstreamPage(page))
        response.headers.set("X-Gateway-Transport", reply.transport.rawValue)
        for field in reply.usageHeaders { response.headers.set(field.name, field.value) }
        return response
    }

    static func response(_ failure: UpstreamFailure, plan: CallPlan) -> HTTPResponse {
        var response = HTTPResponse.error(CallRefusal.upstream(failure, clientOrderId: plan.clientOrderId))
        response.headers.set("X-Gateway-Transport", plan.target.isWebSocket ? "ws" : "rest")
        return response
    }
}
