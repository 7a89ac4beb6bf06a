/// The order object in the three shapes the exchange answers with (from the official examples):
/// `order.place`/`order.modify`, `order.cancel` (no avgPrice) and `order.status` (no cumQty, adds time).
/// The shapes are key lists over one table of values.
enum OrderFormat {
    static let placeKeys = [
        "orderId", "symbol", "status", "clientOrderId", "price", "avgPrice", "origQty", "executedQty", "cumQty",
        "cumQuote",
        "timeInForce", "type", "reduceOnly", "closePosition", "side", "positionSide", "stopPrice", "workingType",
        "priceProtect", "origType", "priceMatch", "selfTradePreventionMode", "goodTillDate", "updateTime",
    ]
    static let cancelKeys = [
        "clientOrderId", "cumQty", "cumQuote", "executedQty", "orderId", "origQty", "origType", "price", "reduceOnly",
        "side",
        "positionSide", "status", "stopPrice", "closePosition", "symbol", "timeInForce", "type", "updateTime",
        "workingType",
        "priceProtect", "priceMatch", "selfTradePreventionMode", "goodTillDate",
    ]
    static let statusKeys = [
        "avgPrice", "clientOrderId", "cumQuote", "executedQty", "orderId", "origQty", "origType", "price", "reduceOnly",
        "side",
        "positionSide", "status", "stopPrice", "closePosition", "symbol", "time", "timeInForce", "type", "updateTime",
        "workingType", "priceProtect", "priceMatch", "selfTradePreventionMode", "goodTillDate",
    ]

    static func placed(_ order: TradingOrder) -> String { object(order, placeKeys) }
    static func canceled(_ order: TradingOrder) -> String { object(order, cancelKeys) }
    static func queried(_ order: TradingOrder) -> String { object(order, statusKeys) }

    private static func object(_ order: TradingOrder, _ keys: [String]) -> String {
        let values = values(order)
        return "{" + keys.map { #""\#($0)":\#(values[$0]!)"# }.joined(separator: ",") + "}"
    }

    /// Each key's value as JSON text.
    private static func values(_ order: TradingOrder) -> [String: String] {
        let spec = order.spec
        func text(_ value: String) -> String { JSONLiteral.string(value) }
        let executed = text(spec.formatQuantity(order.executedQty))
        return [
            "orderId": String(order.orderId), "symbol": text(spec.symbol), "status": text(order.status.rawValue),
            "clientOrderId": text(order.clientOrderId), "price": text(spec.formatPrice(order.price)),
            "avgPrice": text(spec.formatPrice(order.averagePrice)), "origQty": text(spec.formatQuantity(order.origQty)),
            "executedQty": executed, "cumQty": executed,
            "cumQuote": text(DecimalText.format(order.cumQuote, decimals: spec.priceDecimals + spec.quantityDecimals)),
            "timeInForce": text(order.timeInForce.rawValue), "type": text(order.type.rawValue),
            "origType": text(order.type.rawValue), "reduceOnly": String(order.reduceOnly), "closePosition": "false",
            "side": text(order.side.rawValue), "positionSide": text(order.positionSide.rawValue),
            "stopPrice": text(spec.formatPrice(0)), "workingType": text("CONTRACT_PRICE"), "priceProtect": "false",
            "priceMatch": text("NONE"), "selfTradePreventionMode": text("NONE"), "goodTillDate": "0",
            "time": String(order.time), "updateTime": String(order.updateTime),
        ]
    }
}
