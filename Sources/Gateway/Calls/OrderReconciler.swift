import Catalog
import HTTP1
import HTTPServer
import Logging
import Upstream

/// After the connection died (or the deadline passed) with an order placement in flight,
/// asks the exchange for the order by the client order id the gateway gave it, and answers
/// with the truth: the order if it exists, "not placed" if the exchange does not know it.
/// Only when asking fails too does the client get "outcome unknown".
struct OrderReconciler: Sendable {
    let sender: UpstreamSender
    let logger: Logger

    /// Placements the WebSocket API can look up again (`order.status`); algo orders cannot be.
    static func applies(to plan: CallPlan, failure: UpstreamFailure) -> Bool {
        guard plan.target == .webSocket("order.place"), plan.clientOrderId != nil,
              plan.arguments.contains("symbol") else { return false }
        switch failure {
        case .disconnected(outcomeUnknown: true), .timedOut: return true
        default: return false
        }
    }

    func reconcile(_ placement: CallPlan, after failure: UpstreamFailure, respond: @escaping CallExecutor.Respond) {
        guard let clientOrderId = placement.clientOrderId, let symbol = placement.arguments["symbol"],
              let query = try? CallCatalog.spec(named: "ws_futures_get_order")?.plan(
                  CallArguments([("symbol", symbol), ("origClientOrderId", .text(clientOrderId))]))
        else { return respond(CallExecutor.response(failure, plan: placement), CallEffect(failure)) }
        logger.warning("order placement outcome unknown; asking the exchange",
                       metadata: ["clientOrderId": "\(clientOrderId)", "failure": "\(failure)"])
        sender.send(query) { outcome in
            switch outcome {
            case .success(let reply) where reply.succeeded:
                var response = CallExecutor.response(reply)
                response.headers.set("X-Gateway-Reconciled", "order-found")
                respond(response, .applied)
            case .success(let reply) where reply.errorCode == -2013 && failure != .timedOut:
                // After a disconnect the placement can no longer arrive. After a timeout it
                // might still be on its way, so "not found" proves nothing: that case falls
                // through to "outcome unknown" below.
                var response = HTTPResponse.error(CallRefusal.notPlaced(clientOrderId: clientOrderId))
                response.headers.set("X-Gateway-Reconciled", "order-not-found")
                response.headers.set("X-Gateway-Transport", "ws")
                respond(response, .none)
            default:
                logger.error("cannot find out whether an order was placed",
                             metadata: ["clientOrderId": "\(clientOrderId)"])
                respond(CallExecutor.response(failure, plan: placement), CallEffect(failure))
            }
        }
    }
}
