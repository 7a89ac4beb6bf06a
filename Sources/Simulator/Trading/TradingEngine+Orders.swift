/// `order.place`, `order.modify`, `order.cancel` and `order.status`.
extension TradingEngine {
    mutating func place(
        _ apiKey: String, _ params: TradingParams, now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let side: OrderSide = try params.choice("side", invalid: .invalidSide)
        let typeText = try params.required("type")
        if OrderType.conditional.contains(typeText) { throw .conditionalNeedsAlgo }
        guard let type = OrderType(rawValue: typeText) else { throw .invalidOrderType }
        var account = account(apiKey)
        let positionSide: PositionSide = try params.choice("positionSide", default: .both)
        if account.dualSidePosition == (positionSide == .both) { throw .positionSideMismatch }
        let responseType: ResponseType = try params.choice("newOrderRespType", default: .ack)
        let reduceOnly = try params.bool("reduceOnly")
        if reduceOnly && account.dualSidePosition { throw .notRequired("reduceOnly") }
        let timeInForce: TimeInForce =
            type == .limit ? try params.choice("timeInForce", invalid: .invalidTimeInForce) : .gtc
        let quantity = try Self.quantity(params, spec)
        let price = type == .limit ? try Self.price(params, spec) : 0
        let clientOrderId = try clientOrderId(params, account)

        let book = books(spec)
        let fills = BookSweep.sweep(side, limit: type == .limit ? price : nil, book: book, quantity: quantity)
        let fillable = fills.reduce(0) { $0 + $1.quantity }
        if timeInForce == .gtx && fillable > 0 { throw .postOnlyRejected }
        let best = (side == .buy ? book.asks.first : book.bids.first)?.price ?? 0
        let reference = type == .limit ? price : best
        if !reduceOnly && TradingMath.quote(price: reference, quantity: quantity, spec) < spec.minNotional * 100_000_000
        {
            throw .minNotional(spec.minNotional)
        }
        let reducing = try Self.reducingQuantity(account, spec, side, positionSide, quantity, reduceOnly: reduceOnly)
        let required =
            TradingMath.quote(price: reference, quantity: quantity - reducing, spec)
            / Int64(account.leverage(spec.symbol))
        if required > account.totals(marks: { TradingMath.mark(books($0), $0) }).available { throw .marginInsufficient }

        lastOrderId += 1
        var order = TradingOrder(
            orderId: lastOrderId, clientOrderId: clientOrderId, spec: spec, side: side,
            positionSide: positionSide, type: type, timeInForce: timeInForce, price: price,
            origQty: quantity, reduceOnly: reduceOnly, time: now, updateTime: now)
        let acknowledged = order
        if timeInForce != .fok || fillable == quantity {
            for fill in fills {
                execute(&account, &order, fill.quantity, at: fill.price, taker: apiKey, now: now)
            }
        }
        if order.remaining > 0 && (type == .market || timeInForce == .ioc || timeInForce == .fok) {
            order.status = .expired
            order.updateTime = now
        }
        account.orders[order.orderId] = order
        account.updateTime = now
        accounts[apiKey] = account
        return OrderFormat.placed(responseType == .ack ? acknowledged : order)
    }

    /// LIMIT only: new quantity and price, same orderId; a price that now crosses the book takes liquidity.
    /// Assumptions: no margin or min-notional re-check; a finished order answers -2013.
    mutating func modify(
        _ apiKey: String, _ params: TradingParams, now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let side: OrderSide = try params.choice("side", invalid: .invalidSide)
        let quantity = try Self.quantity(params, spec)
        let price = try Self.price(params, spec)
        var account = account(apiKey)
        guard var order = try find(account, spec, params), order.isOpen, order.type == .limit else {
            throw .noSuchOrder
        }
        guard side == order.side else { throw .invalidParameter("side") }
        guard quantity > order.executedQty else { throw .invalidParameter("quantity") }
        let fills = BookSweep.sweep(side, limit: price, book: books(spec), quantity: quantity - order.executedQty)
        if order.timeInForce == .gtx && !fills.isEmpty { throw .postOnlyRejected }
        order.price = price
        order.origQty = quantity
        order.updateTime = now
        for fill in fills {
            execute(&account, &order, fill.quantity, at: fill.price, taker: apiKey, now: now)
        }
        account.orders[order.orderId] = order
        account.updateTime = now
        accounts[apiKey] = account
        return OrderFormat.placed(order)
    }

    mutating func cancel(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        var account = account(apiKey)
        guard var order = try find(account, spec, params), order.isOpen else { throw .unknownOrderSent }
        order.status = .canceled
        order.updateTime = now
        account.orders[order.orderId] = order
        accounts[apiKey] = account
        return OrderFormat.canceled(order)
    }

    func status(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        guard let order = try find(account(apiKey), spec, params) else { throw .noSuchOrder }
        return OrderFormat.queried(order)
    }

    static func quantity(_ params: TradingParams, _ spec: SymbolSpec) throws(ExchangeError) -> Int64 {
        let quantity = try params.units("quantity", decimals: spec.quantityDecimals)
        if quantity <= 0 { throw .quantityNotPositive }
        if quantity % spec.stepUnits != 0 { throw .quantityNotOnStep }
        return quantity
    }

    static func price(_ params: TradingParams, _ spec: SymbolSpec) throws(ExchangeError) -> Int64 {
        let price = try params.units("price", decimals: spec.priceDecimals)
        if price <= 0 { throw .priceBelowMinimum }
        if price % spec.tickUnits != 0 { throw .priceNotOnTick }
        return price
    }

    /// How much of the order reduces an existing position; -2022 when a reduce-only (or, in hedge
    /// mode, a closing) order would open or grow one. Assumption: reduce-only larger than the
    /// position is rejected rather than trimmed.
    static func reducingQuantity(
        _ account: TradingAccount, _ spec: SymbolSpec, _ side: OrderSide, _ positionSide: PositionSide,
        _ quantity: Int64, reduceOnly: Bool
    ) throws(ExchangeError) -> Int64 {
        let current = account.position(spec.symbol, positionSide).amount
        if account.dualSidePosition {
            let closes = (positionSide == .long) == (side == .sell)
            if closes && quantity > abs(current) { throw .reduceOnlyRejected }
            return closes ? quantity : 0
        }
        let reducing = current * side.sign < 0 ? min(quantity, abs(current)) : 0
        if reduceOnly && reducing < quantity { throw .reduceOnlyRejected }
        return reducing
    }
}
