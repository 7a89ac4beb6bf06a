enum OrderSide: String, Sendable, Codable {
    case buy = "BUY", sell = "SELL"
    /// +1 for BUY, -1 for SELL: the sign a fill gives the position amount.
    var sign: Int64 { self == .buy ? 1 : -1 }
}

enum OrderType: String, Sendable, Codable {
    case limit = "LIMIT", market = "MARKET"
    /// Since 2025-12-09 these go through `algoOrder.place`; `order.place` answers -4120.
    static let conditional: Set<String> = [
        "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET",
    ]
}

enum TimeInForce: String, Sendable, Codable { case gtc = "GTC", ioc = "IOC", fok = "FOK", gtx = "GTX" }
enum PositionSide: String, Sendable, Codable { case both = "BOTH", long = "LONG", short = "SHORT" }
enum ResponseType: String, Sendable { case ack = "ACK", result = "RESULT" }

enum OrderStatus: String, Sendable, Codable {
    case new = "NEW", partiallyFilled = "PARTIALLY_FILLED", filled = "FILLED", canceled = "CANCELED", expired =
        "EXPIRED"
}

/// One order of a simulated account, open or finished, kept so `order.status` can find it later.
///
/// Quantities are in the symbol's quantity units, prices in its price units, and `cumQuote`
/// in 10^-(priceDecimals+quantityDecimals), so every printed number has exactly the symbol's digits.
struct TradingOrder: Sendable, Codable {
    let orderId: Int64
    let clientOrderId: String
    let spec: SymbolSpec
    let side: OrderSide
    let positionSide: PositionSide
    let type: OrderType
    let timeInForce: TimeInForce
    var price: Int64
    var origQty: Int64
    var executedQty: Int64 = 0
    var cumQuote: Int64 = 0
    var status: OrderStatus = .new
    let reduceOnly: Bool
    let time: Int64
    var updateTime: Int64

    var remaining: Int64 { origQty - executedQty }
    var isOpen: Bool { status == .new || status == .partiallyFilled }

    /// Average fill price in price units, rounded half up; 0 before the first fill.
    var averagePrice: Int64 { executedQty == 0 ? 0 : (cumQuote + executedQty / 2) / executedQty }

    mutating func fill(_ quantity: Int64, at price: Int64, now: Int64) {
        executedQty += quantity
        cumQuote += quantity * price
        status = remaining == 0 ? .filled : .partiallyFilled
        updateTime = now
    }
}
