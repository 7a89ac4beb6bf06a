import RawJSON

/// The order and trade queries only the REST API has: `openOrders`, `allOrders`,
/// `allOpenOrders` (cancel), `batchOrders` (cancel) and `userTrades`.
extension TradingEngine {
    /// Open orders, oldest first; all symbols when `symbol` is absent. Shape: `order.status`'s.
    func restOpenOrders(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try params.optional("symbol").map { _ throws(ExchangeError) in try symbol(params) }
        return Self.array(account(apiKey).openOrders(spec?.symbol).map(OrderFormat.queried))
    }

    /// Orders of a symbol, oldest first: from `orderId` on, else the latest `limit`, within
    /// `startTime`/`endTime` (order time). Limit default 500, max 1000.
    func restAllOrders(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let limit = try RESTLimit.parse(params, default: 500, max: 1000)
        let fromId = try params.integer("orderId")
        let start = try params.integer("startTime"), end = try params.integer("endTime")
        let orders = account(apiKey).orders.values
            .filter {
                $0.spec == spec && $0.orderId >= (fromId ?? 0) && $0.time >= (start ?? 0) && $0.time <= (end ?? .max)
            }
            .sorted { $0.orderId < $1.orderId }
        let chosen = fromId == nil ? Array(orders.suffix(limit)) : Array(orders.prefix(limit))
        return Self.array(chosen.map(OrderFormat.queried))
    }

    /// Cancels every open order of the symbol; Binance answers with a fixed success object.
    mutating func restCancelAll(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        var account = account(apiKey)
        for var order in account.openOrders(spec.symbol) {
            order.status = .canceled
            order.updateTime = now
            account.orders[order.orderId] = order
        }
        accounts[apiKey] = account
        return #"{"code":200,"msg":"The operation of cancel all open order is done."}"#
    }

    /// Cancels up to 10 orders named in `orderIdList` (`[1,2]`) or `origClientOrderIdList`
    /// (`["a","b"]`); each entry is the cancelled order or its own `{"code","msg"}`.
    ///
    /// The lower-case names `orderidlist` and `origclientorderidlist` are accepted too:
    /// python-binance sends them, and users report that Binance accepts them (python-binance
    /// issue 1195). python-binance also percent-encodes the list itself, so a value that still
    /// holds escapes after the query's own decoding is decoded once more.
    mutating func restCancelBatch(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String
    {
        let spec = try symbol(params)
        let names = [
            ("orderIdList", "orderIdList"), ("orderidlist", "orderIdList"),
            ("origClientOrderIdList", "origClientOrderIdList"), ("origclientorderidlist", "origClientOrderIdList"),
        ]
        guard let (given, key) = names.first(where: { params.optional($0.0) != nil }),
            let raw = params.optional(given)
        else { throw .orderIdOrClientIdMissing }
        guard let list = RESTQuery.jsonList(raw), !list.isEmpty, list.count <= 10 else { throw .invalidParameter(key) }
        var entries: [String] = []
        for item in list {
            let name: String, value: String
            switch (key, item.integer, item.string) {
            case ("orderIdList", let number?, _): (name, value) = ("orderId", String(number))
            case ("origClientOrderIdList", _, let id?): (name, value) = ("origClientOrderId", id)
            default: throw .invalidParameter(key)
            }
            do {
                entries.append(try cancel(apiKey, TradingParams(["symbol": spec.symbol, name: value]), now: now))
            } catch {
                entries.append(error.json)
            }
        }
        return Self.array(entries)
    }

    /// Account trades of a symbol: one row per fill of the account's orders, oldest first, from
    /// the engine's `FillLog` (so only its latest `FillLog.capacity` fills per symbol). From trade
    /// id `fromId` on, else the latest `limit`; optionally one `orderId` and a `startTime`/`endTime`
    /// window. Limit default 500, max 1000.
    func restUserTrades(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let limit = try RESTLimit.parse(params, default: 500, max: 1000)
        let fromId = try params.integer("fromId"), orderId = try params.integer("orderId")
        let start = try params.integer("startTime"), end = try params.integer("endTime")
        let mine = fills.fills(spec.symbol).filter {
            $0.account == apiKey && $0.id >= (fromId ?? 0) && (orderId == nil || $0.orderId == orderId)
                && $0.time >= (start ?? 0) && $0.time <= (end ?? .max)
        }
        let chosen = fromId == nil ? Array(mine.suffix(limit)) : Array(mine.prefix(limit))
        return Self.array(chosen.map { Self.userTrade($0, spec) })
    }

    private static func userTrade(_ fill: ExchangeFill, _ spec: SymbolSpec) -> String {
        let quote = DecimalText.format(fill.price * fill.quantity, decimals: spec.priceDecimals + spec.quantityDecimals)
        return
            #"{"buyer":\#(fill.side == .buy),"commission":"\#(TradingMath.format8(fill.commission))","commissionAsset":"USDT","#
            + #""id":\#(fill.id),"maker":\#(fill.isMaker),"orderId":\#(fill.orderId),"price":"\#(spec.formatPrice(fill.price))","#
            + #""qty":"\#(spec.formatQuantity(fill.quantity))","quoteQty":"\#(quote)","#
            + #""realizedPnl":"\#(TradingMath.format8(fill.realizedPnl))","#
            + #""side":"\#(fill.side.rawValue)","positionSide":"\#(fill.positionSide.rawValue)","symbol":"\#(spec.symbol)","#
            + #""time":\#(fill.time)}"#
    }

    static func array(_ rows: [String]) -> String { "[" + rows.joined(separator: ",") + "]" }
}
