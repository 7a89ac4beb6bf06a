/// The simulator's algo service: conditional orders kept apart from the book until the market
/// crosses their trigger, then sent to the trading engine as MARKET (or LIMIT) orders.
///
/// A plain value owned by the exchange's mutex, deterministic like `TradingEngine`: ids come
/// from the seed and orders are visited in algoId order.
struct AlgoEngine: Sendable, Codable {
    @SortedOnSave var orders: [Int64: AlgoOrder] = [:]
    var lastAlgoId: Int64
    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed ^ 0x414C_474F_5345_5256)
        lastAlgoId = 3_000_000_000_000_000 + Int64(random.next() % 1_000_000)
    }

    /// Answers `algoOrder.place` / `algoOrder.cancel`; `nil` for any other method.
    /// `trading` gives the account (position mode, positions); `books` the current book of a symbol.
    mutating func call(
        _ method: String, apiKey: String, params: [String: String], now: Int64, trading: TradingEngine,
        books: (SymbolSpec) -> MarketData.Book
    ) -> Result<String, ExchangeError>? {
        let params = TradingParams(params)
        return switch method {
        case "algoOrder.place":
            Result { () throws(ExchangeError) in
                try place(apiKey, params, now: now, account: trading.account(apiKey), books: books)
            }
        case "algoOrder.cancel": Result { () throws(ExchangeError) in try cancel(apiKey, params, now: now) }
        default: nil
        }
    }

    mutating func place(
        _ apiKey: String, _ params: TradingParams, now: Int64, account: TradingAccount,
        books: (SymbolSpec) -> MarketData.Book
    ) throws(ExchangeError) -> String {
        guard try params.required("algoType") == "CONDITIONAL" else { throw .invalidParameter("algoType") }
        guard let spec = SymbolSpec.bySymbol[try params.required("symbol")] else { throw .invalidSymbol }
        let side: OrderSide = try params.choice("side", invalid: .invalidSide)
        let type: AlgoOrderType = try params.choice("type", invalid: .invalidOrderType)
        let positionSide: PositionSide = try params.choice("positionSide", default: .both)
        if account.dualSidePosition == (positionSide == .both) { throw .positionSideMismatch }
        let _: ResponseType = try params.choice("newOrderRespType", default: .ack)
        // The official example sends no workingType and gets CONTRACT_PRICE back: that is the default.
        let workingType: WorkingType = try params.choice("workingType", default: .contractPrice)
        let closePosition = try params.bool("closePosition"), reduceOnly = try params.bool("reduceOnly")
        let priceProtect = try params.bool("priceProtect")
        if reduceOnly && account.dualSidePosition { throw .notRequired("reduceOnly") }
        if closePosition {
            guard type == .stopMarket || type == .takeProfitMarket else { throw .notRequired("closePosition") }
            if params.optional("quantity") != nil { throw .notRequired("quantity") }
            if reduceOnly { throw .notRequired("reduceOnly") }
        }
        let quantity = closePosition ? 0 : try TradingEngine.quantity(params, spec)
        let timeInForce: TimeInForce =
            type.isLimit
            ? try params.choice("timeInForce", default: .gtc, invalid: .invalidTimeInForce) : .gtc
        let price = type.isLimit ? try TradingEngine.price(params, spec) : 0
        var triggerPrice: Int64 = 0, activatePrice: Int64 = 0, callbackTenths: Int64 = 0
        if type == .trailingStopMarket {
            callbackTenths = try params.units("callbackRate", decimals: 1)
            guard (1...100).contains(callbackTenths) else { throw .invalidParameter("callbackRate") }
            if params.optional("activatePrice") != nil {
                activatePrice = try Self.tickPrice(params, "activatePrice", spec)
            }
        } else {
            // The official example spells it `triggerprice`; both spellings are read.
            let name =
                params.optional("triggerPrice") == nil && params.optional("triggerprice") != nil
                ? "triggerprice" : "triggerPrice"
            triggerPrice = try Self.tickPrice(params, name, spec)
        }
        let stpMode = params.optional("selfTradePreventionMode") ?? "EXPIRE_MAKER"
        guard Self.stpModes.contains(stpMode) else { throw .invalidParameter("selfTradePreventionMode") }
        let clientAlgoId = try clientAlgoId(params, apiKey)

        let order = AlgoOrder(
            algoId: lastAlgoId + 1, clientAlgoId: clientAlgoId, apiKey: apiKey, spec: spec, type: type, side: side,
            positionSide: positionSide, timeInForce: timeInForce, quantity: quantity, triggerPrice: triggerPrice,
            price: price, workingType: workingType, closePosition: closePosition, priceProtect: priceProtect,
            reduceOnly: reduceOnly, selfTradePreventionMode: stpMode, activatePrice: activatePrice,
            callbackTenths: callbackTenths, createTime: now, updateTime: now)
        let book = books(spec)
        if let bid = book.bids.first?.price, let ask = book.asks.first?.price {
            let mid2 = bid + ask
            let immediate =
                type == .trailingStopMarket
                ? activatePrice != 0 && (side == .sell ? mid2 >= 2 * activatePrice : mid2 <= 2 * activatePrice)
                : order.crosses(mid2: mid2)
            if immediate { throw .wouldImmediatelyTrigger }
            let reference =
                type.isLimit
                ? price : (triggerPrice != 0 ? triggerPrice : (activatePrice != 0 ? activatePrice : mid2 / 2))
            if !reduceOnly && !closePosition
                && TradingMath.quote(price: reference, quantity: quantity, spec) < spec.minNotional * 100_000_000
            {
                throw .minNotional(spec.minNotional)
            }
        }
        lastAlgoId = order.algoId
        orders[order.algoId] = order
        return AlgoOrderFormat.placed(order)
    }

    /// Cancels a NEW algo order of the account named by `algoId` or `clientAlgoId`; -2011 otherwise.
    mutating func cancel(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        let target: AlgoOrder?
        if let id = try params.integer("algoId") {
            target = orders[id].flatMap { $0.apiKey == apiKey ? $0 : nil }
        } else if let clientId = params.optional("clientAlgoId") {
            target = orders.values.filter { $0.apiKey == apiKey && $0.clientAlgoId == clientId && $0.status == .new }
                .max { $0.algoId < $1.algoId }
        } else {
            throw .algoIdOrClientAlgoIdMissing
        }
        guard var order = target, order.status == .new else { throw .unknownOrderSent }
        order.status = .canceled
        order.updateTime = now
        orders[order.algoId] = order
        return AlgoOrderFormat.canceled(order)
    }

    /// After a market step of `symbol`: sends every NEW algo order whose trigger `book` crossed to
    /// `trading`, and marks TRIGGERED orders whose order is done as FINISHED.
    mutating func trigger(
        symbol: String, book: MarketData.Book, now: Int64, trading: inout TradingEngine,
        books: (SymbolSpec) -> MarketData.Book
    ) {
        guard let bid = book.bids.first?.price, let ask = book.asks.first?.price else { return }
        let mid2 = bid + ask
        for id in orders.keys.sorted() {
            guard var order = orders[id], order.spec.symbol == symbol else { continue }
            switch order.status {
            case .new:
                let fire = order.type == .trailingStopMarket ? order.trail(mid2: mid2) : order.crosses(mid2: mid2)
                if fire { Self.send(&order, trading: &trading, now: now, books: books) }
            case .triggered:
                if let placed = trading.accounts[order.apiKey]?.orders[order.actualOrderId], !placed.isOpen {
                    order.status = .finished
                    order.updateTime = now
                }
            default: break
            }
            orders[id] = order
        }
    }

    /// Places the order a triggered algo order becomes. closePosition takes the position's size
    /// (EXPIRED when there is none); a rejection by the engine leaves the algo order REJECTED.
    private static func send(
        _ order: inout AlgoOrder, trading: inout TradingEngine, now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) {
        order.triggerTime = now
        order.updateTime = now
        let account = trading.account(order.apiKey)
        var quantity = order.quantity
        if order.closePosition {
            let amount = account.position(order.spec.symbol, account.dualSidePosition ? order.positionSide : .both)
                .amount
            quantity = amount * order.side.sign < 0 ? abs(amount) : 0
            guard quantity > 0 else {
                order.status = .expired
                return
            }
        }
        var values = [
            "symbol": order.spec.symbol, "side": order.side.rawValue, "type": order.type.isLimit ? "LIMIT" : "MARKET",
            "positionSide": order.positionSide.rawValue, "quantity": order.spec.formatQuantity(quantity),
            "newOrderRespType": "RESULT",
        ]
        if !account.dualSidePosition && (order.reduceOnly || order.closePosition) { values["reduceOnly"] = "true" }
        if order.type.isLimit {
            values["price"] = order.spec.formatPrice(order.price)
            values["timeInForce"] = order.timeInForce.rawValue
        }
        do {
            _ = try trading.place(order.apiKey, TradingParams(values), now: now, books: books)
            order.actualOrderId = trading.lastOrderId
            let placed = trading.accounts[order.apiKey]?.orders[order.actualOrderId]
            order.status = placed?.isOpen == true ? .triggered : .finished
        } catch {
            order.status = .rejected
        }
    }

    private static let stpModes: Set<String> = ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"]
    private static let idCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    private static let clientIdCharacters = Set(".:/_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// A positive price on the symbol's tick, from `name`.
    private static func tickPrice(
        _ params: TradingParams, _ name: String, _ spec: SymbolSpec
    ) throws(ExchangeError) -> Int64 {
        let price = try params.units(name, decimals: spec.priceDecimals)
        if price <= 0 { throw .priceBelowMinimum }
        if price % spec.tickUnits != 0 { throw .priceNotOnTick }
        return price
    }

    /// `clientAlgoId` checked like `newClientOrderId` (and against the account's NEW algo orders),
    /// or a fresh 22-character id like the exchange's.
    private mutating func clientAlgoId(_ params: TradingParams, _ apiKey: String) throws(ExchangeError) -> String {
        guard let id = params.optional("clientAlgoId") else {
            return String((0..<22).map { _ in Self.idCharacters[Int(random.next() % UInt64(Self.idCharacters.count))] })
        }
        guard id.count <= 36, id.allSatisfy({ Self.clientIdCharacters.contains($0) }) else {
            throw .invalidClientOrderId
        }
        if orders.values.contains(where: { $0.apiKey == apiKey && $0.clientAlgoId == id && $0.status == .new }) {
            throw .duplicateClientOrderId
        }
        return id
    }
}

/// The algo service's own rejections (Binance USDⓈ-M codes).
extension ExchangeError {
    static let wouldImmediatelyTrigger = ExchangeError(
        status: 400, code: -2021, message: "Order would immediately trigger.")
    static let algoIdOrClientAlgoIdMissing = ExchangeError(
        status: 400, code: -1102, message: "Param 'clientAlgoId' or 'algoId' must be sent, but both were empty/null!")
}
