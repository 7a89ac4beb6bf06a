/// The conditional order types `algoOrder.place` accepts (algoType CONDITIONAL).
enum AlgoOrderType: String, Sendable, Codable {
    case stopMarket = "STOP_MARKET", takeProfitMarket = "TAKE_PROFIT_MARKET"
    case stop = "STOP", takeProfit = "TAKE_PROFIT", trailingStopMarket = "TRAILING_STOP_MARKET"

    /// STOP and TAKE_PROFIT become LIMIT orders when triggered; the others MARKET.
    var isLimit: Bool { self == .stop || self == .takeProfit }
    var isStop: Bool { self == .stop || self == .stopMarket }
}

/// What the trigger price is compared with. Both read the book mid in the simulator (it has no
/// separate last-trade or index price), but the choice is kept and echoed like the exchange's.
enum WorkingType: String, Sendable, Codable { case markPrice = "MARK_PRICE", contractPrice = "CONTRACT_PRICE" }

/// Binance's algo statuses: NEW until triggered or cancelled; TRIGGERED once the order was sent
/// to the book, FINISHED when that order is done; REJECTED/EXPIRED when it could not be placed.
enum AlgoStatus: String, Sendable, Codable {
    case new = "NEW", canceled = "CANCELED", triggered = "TRIGGERED", finished = "FINISHED"
    case rejected = "REJECTED", expired = "EXPIRED"
}

/// One conditional order waiting in the algo service (or finished there), with the order it
/// became once triggered. Prices are in the symbol's price units, quantities in its quantity units.
struct AlgoOrder: Sendable, Codable {
    let algoId: Int64
    let clientAlgoId: String
    let apiKey: String
    let spec: SymbolSpec
    let type: AlgoOrderType
    let side: OrderSide
    let positionSide: PositionSide
    let timeInForce: TimeInForce
    /// 0 for closePosition orders (the position's size is taken when triggered).
    let quantity: Int64
    let triggerPrice: Int64
    let price: Int64
    let workingType: WorkingType
    let closePosition: Bool
    let priceProtect: Bool
    let reduceOnly: Bool
    let selfTradePreventionMode: String
    /// Trailing stops: activation price (0: active at once) and callback in 0.1 % units.
    let activatePrice: Int64
    let callbackTenths: Int64
    var activated = false
    /// Trailing stops: the best doubled mid seen since activation (highest for SELL, lowest for BUY).
    var extreme2: Int64 = 0
    var status: AlgoStatus = .new
    let createTime: Int64
    var updateTime: Int64
    var triggerTime: Int64 = 0
    var actualOrderId: Int64 = 0

    /// Whether a doubled mid price (bid + ask) crosses the trigger: STOP BUY / TAKE_PROFIT SELL
    /// at or above it, STOP SELL / TAKE_PROFIT BUY at or below it.
    func crosses(mid2: Int64) -> Bool {
        let upward = type.isStop == (side == .buy)
        return upward ? mid2 >= 2 * triggerPrice : mid2 <= 2 * triggerPrice
    }

    /// Trailing stops: follows `mid2` and answers whether the callback is reached.
    mutating func trail(mid2: Int64) -> Bool {
        if !activated {
            let reached = activatePrice == 0 || (side == .sell ? mid2 >= 2 * activatePrice : mid2 <= 2 * activatePrice)
            guard reached else { return false }
            activated = true
            extreme2 = mid2
        }
        extreme2 = side == .sell ? max(extreme2, mid2) : min(extreme2, mid2)
        return side == .sell
            ? mid2 * 1000 <= extreme2 * (1000 - callbackTenths)
            : mid2 * 1000 >= extreme2 * (1000 + callbackTenths)
    }
}

/// The `algoOrder.place` result (keys in the official example's order) and the `algoOrder.cancel` result.
enum AlgoOrderFormat {
    static func placed(_ order: AlgoOrder) -> String { object(order, queried: false) }

    /// The REST query shape: the placement's fields with the order it became (`actualOrderId`,
    /// and its average fill price as `actualPrice`) after `algoStatus`.
    static func queried(_ order: AlgoOrder, actual: TradingOrder?) -> String {
        object(order, queried: true, actual: actual)
    }

    private static func object(_ order: AlgoOrder, queried: Bool, actual: TradingOrder? = nil) -> String {
        let spec = order.spec
        func text(_ value: String) -> String { JSONLiteral.string(value) }
        var fields: [(String, String)] =
            [
                ("algoId", String(order.algoId)), ("clientAlgoId", text(order.clientAlgoId)),
                ("algoType", text("CONDITIONAL")),
                ("orderType", text(order.type.rawValue)), ("symbol", text(spec.symbol)),
                ("side", text(order.side.rawValue)),
                ("positionSide", text(order.positionSide.rawValue)), ("timeInForce", text(order.timeInForce.rawValue)),
                ("quantity", text(spec.formatQuantity(order.quantity))), ("algoStatus", text(order.status.rawValue)),
            ]
            + (queried
                ? [
                    ("actualOrderId", text(order.actualOrderId == 0 ? "" : String(order.actualOrderId))),
                    ("actualPrice", text(spec.formatPrice(actual?.averagePrice ?? 0))),
                ] : []) + [
                ("triggerPrice", text(spec.formatPrice(order.triggerPrice))),
                ("price", text(spec.formatPrice(order.price))),
                ("icebergQuantity", "null"), ("selfTradePreventionMode", text(order.selfTradePreventionMode)),
                ("workingType", text(order.workingType.rawValue)), ("priceMatch", text("NONE")),
                ("closePosition", String(order.closePosition)), ("priceProtect", String(order.priceProtect)),
                ("reduceOnly", String(order.reduceOnly)), ("createTime", String(order.createTime)),
                ("updateTime", String(order.updateTime)), ("triggerTime", String(order.triggerTime)),
                ("goodTillDate", "0"),
            ]
        if order.type == .trailingStopMarket {
            // Assumption: like the REST algo order, trailing stops also show their activation and callback.
            fields.append(("activatePrice", text(spec.formatPrice(order.activatePrice))))
            fields.append(("callbackRate", text(DecimalText.format(order.callbackTenths, decimals: 1))))
        }
        return "{" + fields.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    static func canceled(_ order: AlgoOrder) -> String {
        #"{"algoId":\#(order.algoId),"clientAlgoId":\#(JSONLiteral.string(order.clientAlgoId)),"code":"200","msg":"success"}"#
    }
}
