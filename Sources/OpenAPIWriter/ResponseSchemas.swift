import Catalog

/// What each upstream target answers, as a table: the 200 bodies of `openapi.yaml`.
///
/// WebSocket methods follow the official example payloads (Tests/Fixtures/ws-fapi), REST
/// endpoints the exchange's documented answers as the simulator sends them (Sources/Simulator/REST).
/// Strings where the exchange sends strings (every price and quantity), integers where integers.
/// `required` names only the fields every example has, so a client does not break on a field the
/// exchange leaves out; the ids are required so that `oneOf` can tell an order from an algo order.
public enum ResponseSchemas {
    /// The result of each upstream target. A call that may go to two targets answers `oneOf` them.
    public static let results: [UpstreamTarget: ResponseSchema] = [
        .webSocket("depth"): .ref("OrderBook"),
        .webSocket("ticker.price"): .oneOf([.ref("PriceTicker"), .ref("PriceTickerList")]),
        .webSocket("ticker.book"): .oneOf([.ref("BookTicker"), .ref("BookTickerList")]),
        .webSocket("account.position"): .array(.ref("PositionRisk")),
        .webSocket("v2/account.position"): .array(.ref("PositionRiskV2")),
        .webSocket("account.balance"): .array(.ref("Balance")),
        .webSocket("v2/account.balance"): .array(.ref("Balance")),
        .webSocket("account.status"): .ref("AccountStatus"),
        .webSocket("v2/account.status"): .ref("AccountStatusV2"),
        .webSocket("order.place"): .ref("Order"),
        .webSocket("order.modify"): .ref("Order"),
        .webSocket("order.cancel"): .ref("Order"),
        .webSocket("order.status"): .ref("Order"),
        .webSocket("algoOrder.place"): .ref("AlgoOrder"),
        .webSocket("algoOrder.cancel"): .ref("AlgoOrderCancel"),
        .rest(.GET, "/fapi/v1/trades"): .array(.ref("Trade")),
        .rest(.GET, "/fapi/v1/historicalTrades"): .array(.ref("Trade")),
        .rest(.GET, "/fapi/v1/aggTrades"): .array(.ref("AggTrade")),
        .rest(.GET, "/fapi/v1/klines"): .array(.ref("Kline")),
        .rest(.GET, "/fapi/v1/continuousKlines"): .array(.ref("Kline")),
        .rest(.GET, "/fapi/v1/indexPriceKlines"): .array(.ref("Kline")),
        .rest(.GET, "/fapi/v1/markPriceKlines"): .array(.ref("Kline")),
        .rest(.GET, "/fapi/v1/premiumIndexKlines"): .array(.ref("Kline")),
        .rest(.GET, "/fapi/v1/openOrders"): .array(.ref("Order")),
        .rest(.GET, "/fapi/v1/allOrders"): .array(.ref("Order")),
        .rest(.GET, "/fapi/v1/userTrades"): .array(.ref("UserTrade")),
        .rest(.DELETE, "/fapi/v1/allOpenOrders"): .ref("CodeMessage"),
        .rest(.DELETE, "/fapi/v1/batchOrders"): .array(.ref("BatchOrderResult")),
        .rest(.POST, "/fapi/v1/leverage"): .ref("Leverage"),
        .rest(.POST, "/fapi/v1/marginType"): .ref("CodeMessage"),
        .rest(.POST, "/fapi/v1/positionMargin"): .ref("PositionMargin"),
    ]

    /// The 200 body of a call: its target's result, or `oneOf` the results of every target it may take.
    public static func result(of spec: CallSpec) -> ResponseSchema? {
        let schemas = spec.possibleTargets.compactMap { results[$0] }
        guard schemas.count == spec.possibleTargets.count else { return nil }
        return schemas.count == 1 ? schemas[0] : .oneOf(schemas)
    }

    /// The named shapes, in the order they are written under `components/schemas`.
    public static let components: [(name: String, schema: ResponseSchema)] = [
        (
            "OrderBook",
            .object(
                required: ["lastUpdateId", "bids", "asks"],
                [
                    "lastUpdateId": .integer, "E": .integer, "T": .integer,
                    "bids": .array(.ref("PriceLevel")), "asks": .array(.ref("PriceLevel")),
                ])
        ),
        ("PriceLevel", .described("[price, quantity]", .fixedArray(.string, count: 2))),
        (
            "PriceTicker",
            .object(required: ["symbol", "price"], ["symbol": .string, "price": .string, "time": .integer])
        ),
        // Every symbol's ticker, when the call names none. The items are a shape of their own name:
        // typescript-fetch imports an item model twice (TS2300) when a `oneOf` has both it and its list.
        ("PriceTickerList", .array(.ref("PriceTickerEntry"))),
        ("PriceTickerEntry", .described("One symbol's ticker in the list of all.", .allOf([.ref("PriceTicker")]))),
        (
            "BookTicker",
            .object(
                required: ["symbol", "bidPrice", "bidQty", "askPrice", "askQty"],
                [
                    "lastUpdateId": .integer, "symbol": .string, "bidPrice": .string, "bidQty": .string,
                    "askPrice": .string, "askQty": .string, "time": .integer,
                ])
        ),
        ("BookTickerList", .array(.ref("BookTickerEntry"))),
        (
            "BookTickerEntry",
            .described("One symbol's best bid and ask in the list of all.", .allOf([.ref("BookTicker")]))
        ),
        (
            "Trade",
            .object(
                required: ["id", "price", "qty", "time"],
                [
                    "id": .integer, "price": .string, "qty": .string, "quoteQty": .string, "time": .integer,
                    "isBuyerMaker": .boolean,
                ])
        ),
        (
            "AggTrade",
            .object(
                required: ["a", "p", "q", "T"],
                [
                    "a": .integer, "p": .string, "q": .string, "f": .integer, "l": .integer, "T": .integer,
                    "m": .boolean,
                ])
        ),
        (
            "Kline",
            .described(
                "[open time, open, high, low, close, volume, close time, quote volume, number of trades, "
                    + "taker buy volume, taker buy quote volume, ignore]: the two times and the number of "
                    + "trades are integers, the others strings.",
                .fixedArray(.ref("KlineField"), count: 12))
        ),
        ("KlineField", .oneOf([.integer, .string])),
        (
            "Balance",
            .object(
                required: ["asset", "balance"],
                [
                    "accountAlias": .string, "asset": .string, "balance": .string, "crossWalletBalance": .string,
                    "crossUnPnl": .string, "availableBalance": .string, "maxWithdrawAmount": .string,
                    "marginAvailable": .boolean, "updateTime": .integer,
                ])
        ),
        (
            "PositionRisk",
            .object(
                required: ["symbol", "positionAmt"],
                [
                    "symbol": .string, "positionAmt": .string, "entryPrice": .string, "breakEvenPrice": .string,
                    "markPrice": .string, "unRealizedProfit": .string, "liquidationPrice": .string, "leverage": .string,
                    "maxNotionalValue": .string, "marginType": .string, "isolatedMargin": .string,
                    "isAutoAddMargin": .string,
                    "positionSide": .string, "notional": .string, "isolatedWallet": .string, "updateTime": .integer,
                ])
        ),
        (
            "PositionRiskV2",
            .object(
                required: ["symbol", "positionAmt"],
                [
                    "symbol": .string, "positionSide": .string, "positionAmt": .string, "entryPrice": .string,
                    "breakEvenPrice": .string, "markPrice": .string, "unrealizedProfit": .string,
                    "liquidationPrice": .string,
                    "isolatedMargin": .string, "notional": .string, "marginAsset": .string, "isolatedWallet": .string,
                    "initialMargin": .string, "maintMargin": .string, "positionInitialMargin": .string,
                    "openOrderInitialMargin": .string, "adl": .integer, "bidNotional": .string, "askNotional": .string,
                    "updateTime": .integer,
                ])
        ),
        (
            "AccountStatus",
            .object(
                required: ["assets", "positions"],
                [
                    "feeTier": .integer, "canTrade": .boolean, "canDeposit": .boolean, "canWithdraw": .boolean,
                    "updateTime": .integer, "multiAssetsMargin": .boolean, "tradeGroupId": .integer,
                    "totalInitialMargin": .string, "totalMaintMargin": .string, "totalWalletBalance": .string,
                    "totalUnrealizedProfit": .string, "totalMarginBalance": .string,
                    "totalPositionInitialMargin": .string,
                    "totalOpenOrderInitialMargin": .string, "totalCrossWalletBalance": .string,
                    "totalCrossUnPnl": .string,
                    "availableBalance": .string, "maxWithdrawAmount": .string,
                    "assets": .array(.ref("AccountAsset")), "positions": .array(.ref("AccountPosition")),
                ])
        ),
        (
            "AccountStatusV2",
            .object(
                required: ["assets", "positions"],
                [
                    "totalInitialMargin": .string, "totalMaintMargin": .string, "totalWalletBalance": .string,
                    "totalUnrealizedProfit": .string, "totalMarginBalance": .string,
                    "totalPositionInitialMargin": .string,
                    "totalOpenOrderInitialMargin": .string, "totalCrossWalletBalance": .string,
                    "totalCrossUnPnl": .string,
                    "availableBalance": .string, "maxWithdrawAmount": .string,
                    "assets": .array(.ref("AccountAsset")), "positions": .array(.ref("AccountPositionV2")),
                ])
        ),
        (
            "AccountAsset",
            .object(
                required: ["asset"],
                [
                    "asset": .string, "walletBalance": .string, "unrealizedProfit": .string, "marginBalance": .string,
                    "maintMargin": .string, "initialMargin": .string, "positionInitialMargin": .string,
                    "openOrderInitialMargin": .string, "crossWalletBalance": .string, "crossUnPnl": .string,
                    "availableBalance": .string, "maxWithdrawAmount": .string, "marginAvailable": .boolean,
                    "updateTime": .integer,
                ])
        ),
        (
            "AccountPosition",
            .object(
                required: ["symbol", "positionAmt"],
                [
                    "symbol": .string, "initialMargin": .string, "maintMargin": .string, "unrealizedProfit": .string,
                    "positionInitialMargin": .string, "openOrderInitialMargin": .string, "leverage": .string,
                    "isolated": .boolean, "entryPrice": .string, "breakEvenPrice": .string, "maxNotional": .string,
                    "bidNotional": .string, "askNotional": .string, "positionSide": .string, "positionAmt": .string,
                    "updateTime": .integer,
                ])
        ),
        (
            "AccountPositionV2",
            .object(
                required: ["symbol", "positionAmt"],
                [
                    "symbol": .string, "positionSide": .string, "positionAmt": .string, "unrealizedProfit": .string,
                    "isolatedMargin": .string, "notional": .string, "isolatedWallet": .string, "initialMargin": .string,
                    "maintMargin": .string, "updateTime": .integer,
                ])
        ),
        // order.place, order.modify, order.cancel and order.status together (each example has a subset).
        (
            "Order",
            .object(
                required: ["orderId", "symbol", "status", "clientOrderId"],
                [
                    "orderId": .integer, "symbol": .string, "status": .string, "clientOrderId": .string,
                    "price": .string,
                    "avgPrice": .string, "origQty": .string, "executedQty": .string, "cumQty": .string,
                    "cumQuote": .string,
                    "timeInForce": .string, "type": .string, "reduceOnly": .boolean, "closePosition": .boolean,
                    "side": .string, "positionSide": .string, "stopPrice": .string, "workingType": .string,
                    "priceProtect": .boolean, "origType": .string, "priceMatch": .string,
                    "selfTradePreventionMode": .string,
                    "goodTillDate": .integer, "activatePrice": .string, "priceRate": .string, "time": .integer,
                    "updateTime": .integer,
                ])
        ),
        (
            "AlgoOrder",
            .object(
                required: ["algoId", "clientAlgoId", "algoStatus"],
                [
                    "algoId": .integer, "clientAlgoId": .string, "algoType": .string, "orderType": .string,
                    "symbol": .string,
                    "side": .string, "positionSide": .string, "timeInForce": .string, "quantity": .string,
                    "algoStatus": .string, "triggerPrice": .string, "price": .string,
                    "icebergQuantity": .nullableString,
                    "selfTradePreventionMode": .string, "workingType": .string, "priceMatch": .string,
                    "closePosition": .boolean, "priceProtect": .boolean, "reduceOnly": .boolean, "createTime": .integer,
                    "updateTime": .integer, "triggerTime": .integer, "goodTillDate": .integer, "activatePrice": .string,
                    "callbackRate": .string,
                ])
        ),
        // The algo service answers a cancel with its own code and message, the code as a string ("200").
        (
            "AlgoOrderCancel",
            .object(
                required: ["algoId", "clientAlgoId", "code", "msg"],
                [
                    "algoId": .integer, "clientAlgoId": .string, "code": .string, "msg": .string,
                ])
        ),
        // One answer of a batch cancel: the order, or the exchange's error for that one id.
        ("BatchOrderResult", .oneOf([.ref("Order"), .ref("ErrorBody")])),
        (
            "UserTrade",
            .object(
                required: ["id", "orderId", "symbol", "price", "qty"],
                [
                    "buyer": .boolean, "commission": .string, "commissionAsset": .string, "id": .integer,
                    "maker": .boolean,
                    "orderId": .integer, "price": .string, "qty": .string, "quoteQty": .string, "realizedPnl": .string,
                    "side": .string, "positionSide": .string, "symbol": .string, "time": .integer,
                ])
        ),
        // A REST acknowledgement: `{"code":200,"msg":"success"}`.
        ("CodeMessage", .object(required: ["code", "msg"], ["code": .integer, "msg": .string])),
        (
            "Leverage",
            .object(
                required: ["leverage", "symbol"],
                [
                    "leverage": .integer, "maxNotionalValue": .string, "symbol": .string,
                ])
        ),
        (
            "PositionMargin",
            .object(
                required: ["amount", "code", "msg", "type"],
                [
                    "amount": .number, "code": .integer, "msg": .string, "type": .integer,
                ])
        ),
    ]
}
