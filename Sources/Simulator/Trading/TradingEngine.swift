/// The deterministic trading core of the simulator: every account (one per API key), order ids,
/// matching against the simulated book, and the answers of the trading and account methods.
///
/// A plain value owned by the exchange's mutex. Given the same seed, calls, books and times,
/// every answer is byte-identical: ids and generated client ids come from the seed, and
/// nothing is iterated in dictionary order.
struct TradingEngine: Sendable, Codable {
    /// Commission per 10,000 of the notional: 0.04% taker, 0.02% maker.
    static let takerFeePerTenThousand: Int64 = 4
    static let makerFeePerTenThousand: Int64 = 2

    var accounts: [String: TradingAccount] = [:]
    let startingWallet: Int64
    var lastOrderId: Int64
    /// The last income entry's `tranId`.
    var lastTranId: Int64 = 9_000_000_000
    var random: SeededRandom
    /// Every execution, per symbol: the public tape, trade klines and `userTrades` read it.
    var fills = FillLog()

    /// - Parameter startingWallet: in 10^-8 USDT (default 10,000 USDT).
    init(seed: UInt64, startingWallet: Int64 = 10_000 * 100_000_000) {
        self.startingWallet = startingWallet
        random = SeededRandom(seed: seed ^ 0x5452_4144_494E_4721)
        lastOrderId = 100_000_000 + Int64(random.next() % 900_000_000)
    }

    /// Answers a trading or account method; `nil` when `method` is not one of them.
    /// `books` gives the current book of a symbol (for matching, and its mid as the mark price).
    mutating func call(
        _ method: String, apiKey: String, params: [String: String], now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) -> Result<String, ExchangeError>? {
        let params = TradingParams(params)
        return switch method {
        case "order.place": Result { () throws(ExchangeError) in try place(apiKey, params, now: now, books: books) }
        case "order.modify": Result { () throws(ExchangeError) in try modify(apiKey, params, now: now, books: books) }
        case "order.cancel": Result { () throws(ExchangeError) in try cancel(apiKey, params, now: now) }
        case "order.status": Result { () throws(ExchangeError) in try status(apiKey, params) }
        case "account.balance", "v2/account.balance", "account.position", "v2/account.position",
            "account.status", "v2/account.status":
            Result { () throws(ExchangeError) in
                try AccountFormat.answer(method, account(apiKey), params: params, now: now, books: books)
            }
        default: nil
        }
    }

    /// The account of `apiKey`, created with the starting wallet on first use.
    func account(_ apiKey: String) -> TradingAccount {
        accounts[apiKey] ?? TradingAccount(apiKey: apiKey, wallet: startingWallet)
    }

    /// Creates the account of `apiKey` at `now` if it has none yet (its `updateTime` is then `now`:
    /// clients such as ccxt skip an asset whose update time is 0 as uninitialized).
    mutating func openAccount(_ apiKey: String, now: Int64) {
        guard accounts[apiKey] == nil else { return }
        var account = TradingAccount(apiKey: apiKey, wallet: startingWallet)
        account.updateTime = now
        accounts[apiKey] = account
    }

    mutating func setDualSidePosition(_ enabled: Bool, apiKey: String) {
        var account = account(apiKey)
        account.dualSidePosition = enabled
        accounts[apiKey] = account
    }

    mutating func setLeverage(_ leverage: Int, symbol: String, apiKey: String) {
        var account = account(apiKey)
        account.leverages[symbol] = leverage
        accounts[apiKey] = account
    }

    /// Fills resting orders of `symbol` that `book` crossed (someone traded through their price),
    /// at their own price, as maker. The exchange calls it after each market step.
    mutating func match(symbol: String, book: MarketData.Book, now: Int64) {
        var consumed: [OrderSide: [Int64: Int64]] = [.buy: [:], .sell: [:]]
        for key in accounts.keys.sorted() {
            var account = accounts[key]!
            for var order in account.openOrders(symbol) {
                let levels = order.side == .buy ? book.asks : book.bids
                let fills = BookSweep.sweep(
                    order.side, limit: order.price, levels: levels, quantity: order.remaining,
                    consumed: &consumed[order.side, default: [:]])
                let quantity = fills.reduce(0) { $0 + $1.quantity }
                guard quantity > 0 else { continue }
                execute(&account, &order, quantity, at: order.price, maker: key, now: now)
                account.orders[order.orderId] = order
            }
            accounts[key] = account
        }
    }

    /// Books one fill: the order, the position, and realized profit minus commission into the
    /// wallet; records it in `fills`. `maker` is the account's key when its resting order was hit,
    /// `nil` when the order took liquidity (the account is then `taker`). A liquidation pays no
    /// commission: what it costs is the remaining margin (`INSURANCE_CLEAR`). Returns the realized profit.
    @discardableResult
    mutating func execute(
        _ account: inout TradingAccount, _ order: inout TradingOrder, _ quantity: Int64,
        at price: Int64, maker: String? = nil, taker: String? = nil, now: Int64,
        isLiquidation: Bool = false
    ) -> Int64 {
        let spec = order.spec
        let fee = isLiquidation ? 0 : maker == nil ? Self.takerFeePerTenThousand : Self.makerFeePerTenThousand
        order.fill(quantity, at: price, now: now)
        let side = account.dualSidePosition ? order.positionSide : .both
        let signed = quantity * order.side.sign
        let isolatedLeverage = account.isIsolated(spec.symbol) ? account.leverage(spec.symbol) : nil
        let realized = account.update(spec.symbol, side) {
            $0.apply(signed, price: price, spec, now: now, isolatedLeverage: isolatedLeverage)
        }
        let commission = TradingMath.quote(price: price, quantity: quantity, spec) * fee / 10_000
        account.wallet += realized - commission
        account.updateTime = now
        let isMaker = maker != nil
        let tradeId = fills.nextId(spec.symbol, time: now)
        if realized != 0 { addIncome(&account, spec.symbol, .realizedPnl, realized, now: now, tradeId: tradeId) }
        if commission != 0 { addIncome(&account, spec.symbol, .commission, -commission, now: now, tradeId: tradeId) }
        fills.append(
            ExchangeFill(
                id: tradeId, symbol: spec.symbol, price: price, quantity: quantity, time: now,
                isBuyerMaker: (order.side == .buy) == isMaker,
                takerOrderId: isMaker ? nil : order.orderId, takerAccount: isMaker ? nil : (taker ?? ""),
                makerOrderId: isMaker ? order.orderId : nil, makerAccount: maker,
                commission: commission, realizedPnl: realized, side: order.side, positionSide: order.positionSide))
        return realized
    }

    /// Books one income entry with the next `tranId` (the wallet itself is the caller's).
    mutating func addIncome(
        _ account: inout TradingAccount, _ symbol: String, _ kind: IncomeKind, _ amount: Int64,
        now: Int64, tradeId: Int64? = nil
    ) {
        lastTranId += 1
        account.record(
            IncomeEntry(symbol: symbol, kind: kind, amount: amount, time: now, tranId: lastTranId, tradeId: tradeId))
    }

    func symbol(_ params: TradingParams) throws(ExchangeError) -> SymbolSpec {
        guard let spec = SymbolSpec.bySymbol[try params.required("symbol")] else { throw .invalidSymbol }
        return spec
    }

    /// The order named by `orderId` or `origClientOrderId` (the latest with that client id).
    func find(
        _ account: TradingAccount, _ spec: SymbolSpec, _ params: TradingParams
    ) throws(ExchangeError) -> TradingOrder? {
        if let id = try params.integer("orderId") {
            return account.orders[id].flatMap { $0.spec == spec ? $0 : nil }
        }
        guard let clientId = params.optional("origClientOrderId") else { throw .orderIdOrClientIdMissing }
        return account.orders.values.filter { $0.clientOrderId == clientId && $0.spec == spec }.max {
            $0.orderId < $1.orderId
        }
    }

    private static let idCharacters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    private static let clientIdCharacters = Set(".:/_-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// `newClientOrderId` checked against `^[\.A-Z\:/a-z0-9_-]{1,36}$` and the open orders,
    /// or a fresh 22-character id like the exchange's.
    mutating func clientOrderId(_ params: TradingParams, _ account: TradingAccount) throws(ExchangeError) -> String {
        guard let id = params.optional("newClientOrderId") else {
            return String((0..<22).map { _ in Self.idCharacters[Int(random.next() % UInt64(Self.idCharacters.count))] })
        }
        guard id.count <= 36, id.allSatisfy({ Self.clientIdCharacters.contains($0) }) else {
            throw .invalidClientOrderId
        }
        if account.orders.values.contains(where: { $0.isOpen && $0.clientOrderId == id }) {
            throw .duplicateClientOrderId
        }
        return id
    }
}
