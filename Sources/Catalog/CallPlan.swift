/// A validated call, resolved to exactly what goes upstream.
public struct CallPlan: Sendable {
    public let call: String
    public var target: UpstreamTarget
    public let security: Security
    public let changesState: Bool
    public var arguments: CallArguments
    public let weight: Int
    public let orders: Int
    /// The parameter that names a new order (`newClientOrderId`, or `clientAlgoId` for algo
    /// orders). The gateway fills it when the client did not, so the order can be found again.
    public var clientOrderIdKey: String?

    public init(
        call: String, target: UpstreamTarget, security: Security, changesState: Bool, arguments: CallArguments,
        weight: Int, orders: Int, clientOrderIdKey: String?
    ) {
        self.call = call
        self.target = target
        self.security = security
        self.changesState = changesState
        self.arguments = arguments
        self.weight = weight
        self.orders = orders
        self.clientOrderIdKey = clientOrderIdKey
    }

    /// The client order id, when the call places an order and one is set.
    public var clientOrderId: String? { clientOrderIdKey.flatMap { arguments[$0]?.plainText } }
}

extension CallSpec {
    /// Order types python-binance (and, since 2025-12-09, the exchange) send to the algo service.
    public static let conditionalOrderTypes: Set<String> = [
        "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET",
    ]

    /// Every upstream target the call may go to: its own, and the algo service's where
    /// `plan` reroutes (the answer then has that method's shape).
    public var possibleTargets: [UpstreamTarget] {
        switch routing {
        case .direct, .createAlgoOrder: [target]
        case .createOrder: [target, .webSocket("algoOrder.place")]
        case .cancelOrder: [target, .webSocket("algoOrder.cancel")]
        }
    }

    /// Resolves validated arguments to the upstream request, routing like python-binance.
    public func plan(_ arguments: CallArguments) throws(CallError) -> CallPlan {
        var plan = CallPlan(
            call: name, target: target, security: security, changesState: changesState,
            arguments: arguments, weight: weight.weight(for: arguments), orders: orders,
            clientOrderIdKey: nil)
        switch routing {
        case .direct:
            break
        case .createOrder:
            if let type = arguments["type"]?.plainText, Self.conditionalOrderTypes.contains(type) {
                plan.target = .webSocket("algoOrder.place")
                plan.arguments.rename("stopPrice", to: "triggerPrice")
                if !plan.arguments.contains("clientAlgoId") {
                    plan.arguments.rename("newClientOrderId", to: "clientAlgoId")
                }
                plan.arguments.set("algoType", .text("CONDITIONAL"))
                plan.clientOrderIdKey = "clientAlgoId"
            } else {
                plan.clientOrderIdKey = "newClientOrderId"
            }
        case .createAlgoOrder:
            if !plan.arguments.contains("algoType") { plan.arguments.set("algoType", .text("CONDITIONAL")) }
            plan.clientOrderIdKey = "clientAlgoId"
        case .cancelOrder:
            if arguments.contains("algoId") || arguments.contains("clientAlgoId") {
                plan.target = .webSocket("algoOrder.cancel")
                // The algo service identifies the order by its id alone.
                plan.arguments.remove("symbol")
            } else {
                guard arguments.contains("symbol") else { throw .missing("symbol") }
                guard arguments.contains("orderId") || arguments.contains("origClientOrderId") else {
                    throw .missingOneOf(["orderId", "origClientOrderId"])
                }
            }
        }
        return plan
    }
}
