/// Refusals only the REST API gives, with Binance USDⓈ-M codes and messages (error-code page).
extension ExchangeError {
    /// REST: no `X-MBX-APIKEY` header on a keyed endpoint.
    static let apiKeyMissing = ExchangeError(status: 401, code: -2014, message: "API-key format invalid.")
    static let invalidInterval = ExchangeError(status: 400, code: -1120, message: "Invalid interval.")
    /// Assumption: an unknown path or method answers 404 with -5000, like the exchange's answers for
    /// retired paths ("GET /fapi/v1/account is retired, …") and its invalid-path replies.
    static func invalidPath(_ method: String, _ path: String) -> ExchangeError {
        ExchangeError(status: 404, code: -5000, message: "Path \(path), Method \(method) is invalid")
    }
    static func invalidLeverage(_ text: String) -> ExchangeError {
        ExchangeError(status: 400, code: -4028, message: "Leverage \(text) is not valid")
    }
    static let marginTypeUnchanged = ExchangeError(status: 400, code: -4046, message: "No need to change margin type.")
    static let marginTypeOpenOrders = ExchangeError(
        status: 400, code: -4047, message: "Margin type cannot be changed if there exists open orders.")
    static let marginTypePosition = ExchangeError(
        status: 400, code: -4048, message: "Margin type cannot be changed if there exists position.")
    static let crossBalanceInsufficient = ExchangeError(
        status: 400, code: -4050, message: "Cross balance insufficient.")
    static let isolatedBalanceInsufficient = ExchangeError(
        status: 400, code: -4051, message: "Isolated balance insufficient.")
    static let noPositionForMargin = ExchangeError(
        status: 400, code: -4054, message: "Cannot add position margin: position is 0.")
    static let amountNotPositive = ExchangeError(status: 400, code: -4055, message: "Amount must be positive.")
    /// Assumption: Binance does not document the refusal for a cross position; -4053 is the code of
    /// its nearest entry ("… only support for isolated position"), with this message.
    static let positionNotIsolated = ExchangeError(
        status: 400, code: -4053, message: "Position margin can only be modified for an isolated position.")
}
