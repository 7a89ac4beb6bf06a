import Catalog
import HTTP1
import HTTPServer
import Logging

/// Why the gateway does not know what a state-changing call did.
enum Uncertainty: Sendable, Hashable {
    /// The connection died with the call in flight: it can no longer arrive, so a lookup that
    /// shows no effect proves there was none.
    case lost
    /// The deadline passed: the call may still arrive, so only a lookup that shows the effect
    /// is conclusive.
    case timedOut
    /// The upstream answered with a 5xx, -1007 or a page that is not JSON: Binance's
    /// "execution status unknown"; only a lookup that shows the effect is conclusive.
    case upstreamAnswer
}

/// Finds out what a state-changing call did when no answer says (`OutcomeLookup` knows how
/// for each target), and answers with the truth: the effect found (200, `applied`), proof
/// that there was none (502, `not-sent`), or, only when the lookup cannot tell, the
/// original "unknown" answer.
struct OutcomeReconciler: Sendable {
    let sender: UpstreamSender
    let logger: Logger

    /// A lookup that got no answer (its connection died too) is sent once more.
    static let lookupAttempts = 2

    /// - Parameter unknown: the answer to give when nothing can be established.
    func reconcile(
        _ plan: CallPlan, _ uncertainty: Uncertainty, sentAfter: Int64, unknown: HTTPResponse,
        respond: @escaping CallExecutor.Respond
    ) {
        let metadata: Logger.Metadata = [
            "call": "\(plan.call)", "clientOrderId": "\(plan.clientOrderId ?? "")",
            "uncertainty": "\(uncertainty)",
        ]
        guard let lookup = OutcomeLookup.lookup(for: plan, sentAfter: sentAfter) else {
            logger.error("outcome unknown, and this call cannot be looked up", metadata: metadata)
            return respond(unknown, .unknown)
        }
        logger.warning("outcome unknown; asking the exchange", metadata: metadata)
        let transport = plan.target.isWebSocket ? "ws" : "rest"
        ask(lookup, attemptsLeft: Self.lookupAttempts) { finding in
            switch finding {
            case .applied(let body):
                let response = HTTPResponse(
                    status: .ok,
                    headers: [
                        "Content-Type": "application/json", "X-Gateway-Transport": transport,
                        "X-Gateway-Reconciled": "applied",
                    ], body: body)
                respond(response, .applied)
            case .notApplied(let finding) where uncertainty == .lost:
                var response = HTTPResponse.error(CallRefusal.notApplied(finding: finding))
                response.headers.set("X-Gateway-Reconciled", "not-applied")
                response.headers.set("X-Gateway-Transport", transport)
                respond(response, .notSent)
            default:
                logger.error("cannot find out what a call did", metadata: metadata)
                var response = unknown
                response.headers.set("X-Gateway-Reconciled", "undetermined")
                respond(response, .unknown)
            }
        }
    }

    private func ask(
        _ lookup: OutcomeLookup, attemptsLeft: Int, completion: @escaping @Sendable (OutcomeLookup.Finding) -> Void
    ) {
        sender.send(lookup.query) { result in
            switch result {
            case .success(let reply): completion(lookup.judge(reply))
            case .failure where attemptsLeft > 1: ask(lookup, attemptsLeft: attemptsLeft - 1, completion: completion)
            case .failure: completion(.undetermined)
            }
        }
    }
}
