/// `leverage`, `marginType` and `positionMargin`: the account settings only REST can change.
extension TradingEngine {
    /// 1…125 (else -4028); answers `{"leverage","maxNotionalValue","symbol"}`.
    mutating func restChangeLeverage(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let text = try params.required("leverage")
        guard let leverage = Int(text), (1...125).contains(leverage) else { throw .invalidLeverage(text) }
        setLeverage(leverage, symbol: spec.symbol, apiKey: apiKey)
        return
            #"{"leverage":\#(leverage),"maxNotionalValue":"\#(Self.maxNotional(leverage: leverage))","symbol":"\#(spec.symbol)"}"#
    }

    /// Assumption: one bracket table for every symbol (BTCUSDT-like): the highest initial leverage
    /// at or above the requested one sets the cap.
    static func maxNotional(leverage: Int) -> Int64 {
        leverageBrackets.last { $0.initialLeverage >= leverage }?.notionalCap ?? 50_000
    }

    /// The notional brackets (USDT), highest leverage first, as `leverageBracket` lists them.
    static let leverageBrackets: [(initialLeverage: Int, notionalCap: Int64)] = [
        (125, 50_000), (100, 600_000), (75, 3_000_000), (50, 12_000_000), (25, 70_000_000), (20, 100_000_000),
        (10, 230_000_000), (5, 480_000_000), (4, 600_000_000), (3, 800_000_000), (2, 1_200_000_000), (1, 1_800_000_000),
    ]

    /// ISOLATED or CROSSED; -4046 when unchanged, -4047 with open orders, -4048 with a position.
    mutating func restChangeMarginType(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let wanted: String
        switch try params.required("marginType").uppercased() {
        case "ISOLATED": wanted = "isolated"
        case "CROSSED": wanted = "cross"
        default: throw .invalidParameter("marginType")
        }
        var account = account(apiKey)
        if account.marginType(spec.symbol) == wanted { throw .marginTypeUnchanged }
        if !account.openOrders(spec.symbol).isEmpty { throw .marginTypeOpenOrders }
        if account.positionSides.contains(where: { account.position(spec.symbol, $0).amount != 0 }) {
            throw .marginTypePosition
        }
        account.marginTypes[spec.symbol] = wanted
        accounts[apiKey] = account
        return #"{"code":200,"msg":"success"}"#
    }

    /// Adds (`type=1`) or removes (`type=2`) margin of an isolated position: the amount moves
    /// between the cross side of the wallet and the position's isolated wallet.
    ///
    /// Adding more than the cross side's available balance is -4050 "Cross balance insufficient.";
    /// removing more than `removableIsolatedMargin` (the wallet, less any loss, above the initial
    /// margin the position needs) is -4051 "Isolated balance insufficient." — the code named for
    /// this case (ISOLATED_BALANCE_INSUFFICIENT), and the answer users report for a type=2 the
    /// position cannot spare; -2019 "Margin is insufficient." is the order-placement refusal.
    mutating func restChangePositionMargin(
        _ apiKey: String, _ params: TradingParams, now: Int64,
        marks: (SymbolSpec) -> Int64
    ) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let amountText = try params.required("amount")
        let type = try params.required("type")
        guard type == "1" || type == "2" else { throw .invalidParameter("type") }
        var account = account(apiKey)
        let side: PositionSide = try params.choice("positionSide", default: .both)
        if account.dualSidePosition == (side == .both) { throw .positionSideMismatch }
        guard account.isIsolated(spec.symbol) else { throw .positionNotIsolated }
        if amountText.hasPrefix("-") { throw .amountNotPositive }
        let amount = try params.units("amount", decimals: TradingMath.quoteDecimals)
        guard amount > 0 else { throw .amountNotPositive }
        let position = account.position(spec.symbol, side)
        guard position.amount != 0 else { throw .noPositionForMargin }
        if type == "1" {
            guard amount <= account.totals(marks: marks).available else { throw .crossBalanceInsufficient }
        } else {
            guard amount <= account.removableIsolatedMargin(position, mark: marks(spec), spec) else {
                throw .isolatedBalanceInsufficient
            }
        }
        _ = account.update(spec.symbol, side) { position in
            position.isolatedWallet += type == "1" ? amount : -amount
            position.updateTime = now
            return 0
        }
        account.updateTime = now
        account.marginChanges.append(
            MarginChange(
                symbol: spec.symbol, type: type == "1" ? 1 : 2, amount: amount,
                positionSide: side, time: now))
        accounts[apiKey] = account
        return
            #"{"amount":\#(TradingMath.trimmed8(amount)),"code":200,"msg":"Successfully modify position margin.","type":\#(type)}"#
    }

    /// `GET /fapi/v1/positionMargin/history`: the symbol's margin changes (by `type`, between
    /// `startTime` and `endTime` when given), oldest first, at most `limit` (default 500).
    func restPositionMarginHistory(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let type = try params.integer("type")
        let start = try params.integer("startTime") ?? 0
        let end = try params.integer("endTime") ?? Int64.max
        let limit = try params.integer("limit") ?? 500
        guard (1...1000).contains(limit) else { throw .invalidParameter("limit") }
        let changes = (accounts[apiKey]?.marginChanges ?? []).filter { change in
            change.symbol == spec.symbol && (type == nil || Int64(change.type) == type)
                && (start...end).contains(change.time)
        }.prefix(Int(limit))
        return "[" + changes.map(\.json).joined(separator: ",") + "]"
    }
}

/// One `positionMargin` change, as `positionMargin/history` lists it.
struct MarginChange: Sendable, Codable {
    let symbol: String
    /// 1 added, 2 removed.
    let type: Int
    /// In 10^-8 USDT.
    let amount: Int64
    let positionSide: PositionSide
    let time: Int64

    var json: String {
        #"{"symbol":"\#(symbol)","type":\#(type),"deltaType":"TRADE","amount":"\#(TradingMath.trimmed8(amount))","#
            + #""asset":"USDT","time":\#(time),"positionSide":"\#(positionSide.rawValue)"}"#
    }
}
