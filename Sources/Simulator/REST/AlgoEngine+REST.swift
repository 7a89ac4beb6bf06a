/// The algo order queries only the REST API has: one order, the open ones, all of a symbol's,
/// and cancelling a symbol's open ones.
extension AlgoEngine {
    /// The account's algo order named by `algoId` or `clientAlgoId` (the latest with that id); -2013 otherwise.
    func restQuery(_ apiKey: String, _ params: TradingParams, trading: TradingEngine) throws(ExchangeError) -> String {
        let target: AlgoOrder?
        if let id = try params.integer("algoId") {
            target = orders[id].flatMap { $0.apiKey == apiKey ? $0 : nil }
        } else if let clientId = params.optional("clientAlgoId") {
            target = orders.values.filter { $0.apiKey == apiKey && $0.clientAlgoId == clientId }.max {
                $0.algoId < $1.algoId
            }
        } else {
            throw .algoIdOrClientAlgoIdMissing
        }
        guard let order = target else { throw .noSuchOrder }
        return Self.queried(order, trading)
    }

    /// NEW algo orders of the account, oldest first; every symbol's when `symbol` is absent.
    func restOpenOrders(
        _ apiKey: String, _ params: TradingParams, trading: TradingEngine
    ) throws(ExchangeError) -> String {
        let symbol = try RESTMarketFormat.optionalSymbol(params)?.symbol
        let open = mine(apiKey).filter { $0.status == .new && (symbol == nil || $0.spec.symbol == symbol) }
        return TradingEngine.array(open.map { Self.queried($0, trading) })
    }

    /// A symbol's algo orders, oldest first: from `algoId` on, else the latest `limit` (default
    /// 500, max 1000), within `startTime`/`endTime` (creation time).
    func restAllOrders(
        _ apiKey: String, _ params: TradingParams, trading: TradingEngine
    ) throws(ExchangeError) -> String {
        let spec = try trading.symbol(params)
        let limit = try RESTLimit.parse(params, default: 500, max: 1000)
        let fromId = try params.integer("algoId")
        let start = try params.integer("startTime"), end = try params.integer("endTime")
        let rows = mine(apiKey).filter {
            $0.spec == spec && $0.algoId >= (fromId ?? 0) && $0.createTime >= (start ?? 0)
                && $0.createTime <= (end ?? .max)
        }
        let chosen = fromId == nil ? Array(rows.suffix(limit)) : Array(rows.prefix(limit))
        return TradingEngine.array(chosen.map { Self.queried($0, trading) })
    }

    /// Cancels every NEW algo order of the symbol; Binance answers with a fixed success object.
    mutating func restCancelAll(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        guard let spec = SymbolSpec.bySymbol[try params.required("symbol")] else { throw .invalidSymbol }
        for var order in mine(apiKey) where order.status == .new && order.spec == spec {
            order.status = .canceled
            order.updateTime = now
            orders[order.algoId] = order
        }
        return #"{"code":200,"msg":"The operation of cancel all open order is done."}"#
    }

    private func mine(_ apiKey: String) -> [AlgoOrder] {
        orders.values.filter { $0.apiKey == apiKey }.sorted { $0.algoId < $1.algoId }
    }

    private static func queried(_ order: AlgoOrder, _ trading: TradingEngine) -> String {
        AlgoOrderFormat.queried(order, actual: trading.accounts[order.apiKey]?.orders[order.actualOrderId])
    }
}
