/// Placing, changing, cancelling and querying orders. Seed calls 16-23 and python-binance's
/// edit and algo-order calls.
enum OrderCalls {
    /// What `order.place` and `algoOrder.place` take, together: `ws_futures_create_order`
    /// sends either, by `type`.
    static let placement: [ParameterSpec] = [
        P.symbol, P.side, P.positionSide, .required("type", .oneOf(P.orderTypes)), P.timeInForce,
        .optional("quantity", .decimal), .optional("reduceOnly", .boolean), .optional("price", .decimal),
        .optional("newClientOrderId", .clientOrderId), .optional("stopPrice", .decimal),
        .optional("triggerPrice", .decimal),
        .optional("closePosition", .boolean), .optional("activatePrice", .decimal),
        .optional("callbackRate", .decimal), P.workingType, .optional("priceProtect", .boolean),
        P.newOrderRespType, P.priceMatch, P.selfTradePreventionMode, .optional("goodTillDate", .integer),
        .optional("clientAlgoId", .clientOrderId),
    ]

    static let algoPlacement: [ParameterSpec] =
        placement.filter { $0.name != "newClientOrderId" }
        + [.optional("algoType", .oneOf(["CONDITIONAL"]))]

    static let modification: [ParameterSpec] = [
        P.symbol, P.side, .required("quantity", .decimal), .required("price", .decimal), P.orderId,
        P.origClientOrderId, P.priceMatch,
    ]

    static let all: [CallSpec] = [
        CallSpec(
            "ws_futures_create_order", .webSocket("order.place"), security: .signed, changesState: true,
            parameters: placement, weight: .fixed(0), orders: 1, routing: .createOrder,
            summary: "New order. Conditional types (STOP, TAKE_PROFIT, …) go to the algo service, as in python-binance."
        ),
        CallSpec(
            "ws_futures_create_algo_order", .webSocket("algoOrder.place"), security: .signed, changesState: true,
            parameters: algoPlacement, weight: .fixed(0), orders: 1, routing: .createAlgoOrder,
            summary: "New conditional (algo) order."),
        modify("ws_futures_modify_order", "Change a LIMIT order's price or quantity (the seed's name)."),
        modify("ws_futures_edit_order", "Change a LIMIT order's price or quantity (python-binance's name)."),
        CallSpec(
            "ws_futures_cancel_order", .webSocket("order.cancel"), security: .signed, changesState: true,
            parameters: [
                P.optionalSymbol, P.orderId, P.origClientOrderId, .optional("algoId", .integer),
                .optional("clientAlgoId", .clientOrderId),
            ],
            requiresOneOf: [["orderId", "origClientOrderId", "algoId", "clientAlgoId"]],
            weight: .fixed(1), routing: .cancelOrder,
            summary: "Cancel an order; with `algoId` or `clientAlgoId`, an algo order."),
        CallSpec(
            "ws_futures_cancel_algo_order", .webSocket("algoOrder.cancel"), security: .signed, changesState: true,
            parameters: [.optional("algoId", .integer), .optional("clientAlgoId", .clientOrderId)],
            requiresOneOf: [["algoId", "clientAlgoId"]], weight: .fixed(1),
            summary: "Cancel an algo order."),
        CallSpec(
            "ws_futures_cancel_all_open_orders", .rest(.DELETE, "/fapi/v1/allOpenOrders"), security: .signed,
            changesState: true, parameters: [P.symbol], weight: .fixed(1),
            summary: "Cancel every open order of a symbol."),
        CallSpec(
            "ws_futures_cancel_orders", .rest(.DELETE, "/fapi/v1/batchOrders"), security: .signed,
            changesState: true,
            parameters: [
                P.symbol, .optional("orderIdList", .integerList(maximum: 10), aliases: ["orderidlist"]),
                .optional("origClientOrderIdList", .clientOrderIdList(maximum: 10)),
            ],
            requiresOneOf: [["orderIdList", "origClientOrderIdList"]], weight: .fixed(1),
            summary: "Cancel up to 10 orders of a symbol."),
        CallSpec(
            "ws_futures_get_order", .webSocket("order.status"), security: .signed,
            parameters: [P.symbol, P.orderId, P.origClientOrderId], requiresOneOf: P.byOrderIdOrClientId,
            weight: .fixed(1), summary: "One order's state."),
        CallSpec(
            "ws_futures_get_open_orders", .rest(.GET, "/fapi/v1/openOrders"), security: .signed,
            parameters: [P.optionalSymbol], weight: .bySymbol(with: 1, without: 40),
            summary: "Open orders of one symbol, or of all."),
        CallSpec(
            "ws_futures_get_all_orders", .rest(.GET, "/fapi/v1/allOrders"), security: .signed,
            parameters: [P.symbol, P.orderId, P.startTime, P.endTime, P.limit], weight: .fixed(5),
            summary: "Orders of a symbol: open, filled and cancelled."),
    ]

    private static func modify(_ name: String, _ summary: String) -> CallSpec {
        CallSpec(
            name, .webSocket("order.modify"), security: .signed, changesState: true, parameters: modification,
            requiresOneOf: P.byOrderIdOrClientId, weight: .fixed(0), orders: 1, summary: summary)
    }
}
