/// Parameters and value sets several calls share (names and values from the official docs).
enum P {
    static let symbol = ParameterSpec.required("symbol", .symbol)
    static let optionalSymbol = ParameterSpec.optional("symbol", .symbol)
    static let limit = ParameterSpec.optional("limit", .integer)
    static let startTime = ParameterSpec.optional("startTime", .integer)
    static let endTime = ParameterSpec.optional("endTime", .integer)
    static let fromId = ParameterSpec.optional("fromId", .integer)
    static let orderId = ParameterSpec.optional("orderId", .integer, aliases: ["orderid"])
    static let origClientOrderId = ParameterSpec.optional("origClientOrderId", .clientOrderId)
    static let interval = ParameterSpec.required(
        "interval",
        .oneOf([
            "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M",
        ]))
    static let side = ParameterSpec.required("side", .oneOf(["BUY", "SELL"]))
    static let positionSide = ParameterSpec.optional("positionSide", .oneOf(["BOTH", "LONG", "SHORT"]))
    static let timeInForce = ParameterSpec.optional("timeInForce", .oneOf(["GTC", "IOC", "FOK", "GTX", "GTD"]))
    static let workingType = ParameterSpec.optional("workingType", .oneOf(["MARK_PRICE", "CONTRACT_PRICE"]))
    static let newOrderRespType = ParameterSpec.optional("newOrderRespType", .oneOf(["ACK", "RESULT"]))
    static let priceMatch = ParameterSpec.optional(
        "priceMatch",
        .oneOf([
            "NONE", "OPPONENT", "OPPONENT_5", "OPPONENT_10", "OPPONENT_20", "QUEUE", "QUEUE_5", "QUEUE_10", "QUEUE_20",
        ]))
    static let selfTradePreventionMode = ParameterSpec.optional(
        "selfTradePreventionMode",
        .oneOf([
            "NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH",
        ]))
    static let orderTypes = ["LIMIT", "MARKET"] + CallSpec.conditionalOrderTypes.sorted()
    static let byOrderIdOrClientId = [["orderId", "origClientOrderId"]]

    /// The kline calls' time window.
    static let klineWindow = [interval, startTime, endTime, limit]
}
