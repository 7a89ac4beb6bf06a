/// Margin isolated onto positions by `POST /fapi/v1/positionMargin`, in 10^-8 USDT, keyed by
/// `apiKey|symbol|positionSide`. Kept by the REST layer: the engine's account has no field for it,
/// so `account.*` answers do not show it (known gap).
struct IsolatedMargins: Sendable {
    var amounts: [String: Int64] = [:]
}

/// `leverage`, `marginType` and `positionMargin`: the account settings only REST can change.
extension TradingEngine {
    /// 1…125 (else -4028); answers `{"leverage","maxNotionalValue","symbol"}`.
    mutating func restChangeLeverage(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let text = try params.required("leverage")
        guard let leverage = Int(text), (1...125).contains(leverage) else { throw .invalidLeverage(text) }
        setLeverage(leverage, symbol: spec.symbol, apiKey: apiKey)
        return #"{"leverage":\#(leverage),"maxNotionalValue":"\#(Self.maxNotional(leverage: leverage))","symbol":"\#(spec.symbol)"}"#
    }

    /// Assumption: one bracket table for every symbol (BTCUSDT-like): the highest initial leverage
    /// at or above the requested one sets the cap.
    static func maxNotional(leverage: Int) -> Int64 {
        let brackets: [(Int, Int64)] = [(125, 50_000), (100, 600_000), (75, 3_000_000), (50, 12_000_000), (25, 70_000_000),
                                        (20, 100_000_000), (10, 230_000_000), (5, 480_000_000), (4, 600_000_000),
                                        (3, 800_000_000), (2, 1_200_000_000), (1, 1_800_000_000)]
        return brackets.last { $0.0 >= leverage }?.1 ?? 50_000
    }

    /// ISOLATED or CROSSED; -4046 when unchanged, -4047 with open orders, -4048 with a position.
    mutating func restChangeMarginType(_ apiKey: String, _ params: TradingParams,
                                       isolated: inout IsolatedMargins) throws(ExchangeError) -> String {
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
        if account.positionSides.contains(where: { account.position(spec.symbol, $0).amount != 0 }) { throw .marginTypePosition }
        account.marginTypes[spec.symbol] = wanted
        accounts[apiKey] = account
        for side in PositionSide.allSides { isolated.amounts[Self.key(apiKey, spec, side)] = nil }
        return #"{"code":200,"msg":"success"}"#
    }

    /// Adds (`type=1`) or removes (`type=2`) isolated margin of an isolated position.
    mutating func restChangePositionMargin(_ apiKey: String, _ params: TradingParams, isolated: inout IsolatedMargins,
                                           marks: (SymbolSpec) -> Int64) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        let amountText = try params.required("amount")
        let type = try params.required("type")
        guard type == "1" || type == "2" else { throw .invalidParameter("type") }
        let account = account(apiKey)
        let side: PositionSide = try params.choice("positionSide", default: .both)
        if account.dualSidePosition == (side == .both) { throw .positionSideMismatch }
        guard account.marginType(spec.symbol) == "isolated" else { throw .positionNotIsolated }
        if amountText.hasPrefix("-") { throw .amountNotPositive }
        let amount = try params.units("amount", decimals: TradingMath.quoteDecimals)
        guard amount > 0 else { throw .amountNotPositive }
        guard account.position(spec.symbol, side).amount != 0 else { throw .noPositionForMargin }
        let key = Self.key(apiKey, spec, side)
        let current = isolated.amounts[key, default: 0]
        if type == "1" {
            let reserved = isolated.amounts.filter { $0.key.hasPrefix(apiKey + "|") }.values.reduce(0, +)
            guard amount <= account.totals(marks: marks).available - reserved else { throw .crossBalanceInsufficient }
            isolated.amounts[key] = current + amount
        } else {
            guard amount <= current else { throw .isolatedBalanceInsufficient }
            isolated.amounts[key] = current - amount
        }
        return #"{"amount":\#(TradingMath.trimmed8(amount)),"code":200,"msg":"Successfully modify position margin.","type":\#(type)}"#
    }

    private static func key(_ apiKey: String, _ spec: SymbolSpec, _ side: PositionSide) -> String {
        apiKey + "|" + spec.symbol + "|" + side.rawValue
    }
}

extension PositionSide {
    static let allSides: [PositionSide] = [.both, .long, .short]
}
