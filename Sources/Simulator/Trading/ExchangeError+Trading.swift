/// The trading rejections, with Binance USDⓈ-M codes and messages (official error-code page).
extension ExchangeError {
    static let invalidSide = ExchangeError(status: 400, code: -1117, message: "Invalid side.")
    static let invalidOrderType = ExchangeError(status: 400, code: -1116, message: "Invalid orderType.")
    static let invalidTimeInForce = ExchangeError(status: 400, code: -1115, message: "Invalid timeInForce.")
    static let precisionOver = ExchangeError(
        status: 400, code: -1111,
        message: "Precision is over the maximum defined for this asset.")
    static func notRequired(_ name: String) -> ExchangeError {
        ExchangeError(status: 400, code: -1106, message: "Parameter '\(name)' sent when not required.")
    }
    static let orderIdOrClientIdMissing = ExchangeError(
        status: 400, code: -1102,
        message: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    static let quantityNotPositive = ExchangeError(
        status: 400, code: -4003, message: "Quantity less than or equal to zero.")
    static let priceBelowMinimum = ExchangeError(status: 400, code: -4013, message: "Price less than min price.")
    static let priceNotOnTick = ExchangeError(status: 400, code: -4014, message: "Price not increased by tick size.")
    static let invalidClientOrderId = ExchangeError(status: 400, code: -4015, message: "Client order id is not valid.")
    static let quantityNotOnStep = ExchangeError(status: 400, code: -4023, message: "Qty not increased by step size.")
    static let positionSideMismatch = ExchangeError(
        status: 400, code: -4061,
        message: "Order's position side does not match user's setting.")
    static let duplicateClientOrderId = ExchangeError(status: 400, code: -4116, message: "clientOrderId is duplicated")
    static let conditionalNeedsAlgo = ExchangeError(
        status: 400, code: -4120,
        message: "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.")
    /// The limit is printed like the exchange's example ("5.0").
    static func minNotional(_ quoteUnits: Int64) -> ExchangeError {
        ExchangeError(
            status: 400, code: -4164,
            message: "Order's notional must be no smaller than \(quoteUnits).0 (unless you choose reduce only)")
    }
    static let noSuchOrder = ExchangeError(status: 400, code: -2013, message: "Order does not exist.")
    /// Assumption: the live exchange answers a cancel of an unknown or closed order with -2011 "Unknown order sent.".
    static let unknownOrderSent = ExchangeError(status: 400, code: -2011, message: "Unknown order sent.")
    static let marginInsufficient = ExchangeError(status: 400, code: -2019, message: "Margin is insufficient.")
    static let reduceOnlyRejected = ExchangeError(status: 400, code: -2022, message: "ReduceOnly Order is rejected.")
    static let postOnlyRejected = ExchangeError(
        status: 400, code: -5022,
        message: "Due to the order could not be executed as maker, the Post Only order will be rejected.")
}
