/// The account settings and histories only the REST API serves: position mode, multi-assets
/// mode, leverage brackets, commission rates, income and the countdown cancel.
extension TradingEngine {
    /// `positionSide/dual` POST: -4059 when unchanged, -4067 with open orders, -4068 with a position.
    mutating func restChangePositionMode(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        _ = try params.required("dualSidePosition")
        let wanted = try params.bool("dualSidePosition")
        let account = account(apiKey)
        if account.dualSidePosition == wanted { throw .positionModeUnchanged }
        if !account.openOrders().isEmpty { throw .positionModeOpenOrders }
        if account.positions.values.contains(where: { $0.amount != 0 }) { throw .positionModePosition }
        setDualSidePosition(wanted, apiKey: apiKey)
        return #"{"code":200,"msg":"success"}"#
    }

    /// `leverageBracket`: one bracket table for every symbol (see `maxNotional`), one maintenance
    /// rate (`TradingAccount.maintenanceRatePerTenThousand`), so `cum` is 0.
    static func leverageBracket(_ spec: SymbolSpec?) -> String {
        let ratio = DecimalText.format(TradingAccount.maintenanceRatePerTenThousand, decimals: 4)
        func row(_ spec: SymbolSpec) -> String {
            var floor: Int64 = 0
            let brackets = leverageBrackets.enumerated().map { index, bracket in
                defer { floor = bracket.notionalCap }
                return #"{"bracket":\#(index + 1),"initialLeverage":\#(bracket.initialLeverage),"#
                    + #""notionalCap":\#(bracket.notionalCap),"notionalFloor":\#(floor),"maintMarginRatio":\#(ratio),"cum":0.0}"#
            }
            return #"{"symbol":"\#(spec.symbol)","notionalCoef":1.0,"brackets":[\#(brackets.joined(separator: ","))]}"#
        }
        return spec.map(row) ?? "[" + SymbolSpec.all.map(row).joined(separator: ",") + "]"
    }

    static func commissionRate(_ spec: SymbolSpec) -> String {
        #"{"symbol":"\#(spec.symbol)","makerCommissionRate":"\#(DecimalText.format(makerFeePerTenThousand, decimals: 4))","#
            + #""takerCommissionRate":"\#(DecimalText.format(takerFeePerTenThousand, decimals: 4))"}"#
    }

    /// `income`: the account's entries, oldest first, filtered by `symbol`, `incomeType` and
    /// `startTime`/`endTime` (the last 7 days when neither is sent); the first `limit` from
    /// `startTime`, else the latest `limit` (default 100, max 1000).
    func restIncome(_ apiKey: String, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        let symbol = try RESTMarketFormat.optionalSymbol(params)?.symbol
        var kind: IncomeKind?
        if let text = params.optional("incomeType") {
            guard let parsed = IncomeKind(rawValue: text) else { throw .invalidParameter("incomeType") }
            kind = parsed
        }
        let limit = try RESTLimit.parse(params, default: 100, max: 1000)
        let start = try params.integer("startTime"), end = try params.integer("endTime")
        let from = start ?? (end == nil ? now - 7 * 86_400_000 : 0)
        let rows = account(apiKey).income.filter {
            (symbol == nil || $0.symbol == symbol) && (kind == nil || $0.kind == kind) && $0.time >= from
                && $0.time <= (end ?? .max)
        }
        let chosen = start == nil ? Array(rows.suffix(limit)) : Array(rows.prefix(limit))
        return Self.array(chosen.map(\.json))
    }

    /// `countdownCancelAll`: every open order of the symbol is cancelled `countdownTime` ms from
    /// now unless the countdown is renewed first; 0 stops it.
    mutating func restCountdownCancelAll(
        _ apiKey: String, _ params: TradingParams, now: Int64
    ) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        guard let countdown = try params.integer("countdownTime") else { throw .mandatoryParameter("countdownTime") }
        guard countdown >= 0, countdown <= Self.maxCountdown else { throw .invalidParameter("countdownTime") }
        var account = account(apiKey)
        account.countdowns[spec.symbol] = countdown == 0 ? nil : now + countdown
        accounts[apiKey] = account
        return #"{"symbol":"\#(spec.symbol)","countdownTime":"\#(countdown)"}"#
    }

    /// The longest countdown accepted (a day, in ms; assumption: Binance documents no maximum).
    static let maxCountdown: Int64 = 86_400_000

    /// Cancels the open orders of every countdown that ran out by `now`.
    mutating func fireCountdowns(now: Int64) {
        let due = accounts.compactMap { key, account in account.countdowns.values.contains { $0 <= now } ? key : nil }
        for key in due.sorted() {
            var account = accounts[key]!
            for (symbol, deadline) in account.countdowns.sorted(by: { $0.key < $1.key }) where deadline <= now {
                account.countdowns[symbol] = nil
                for var order in account.openOrders(symbol) {
                    order.status = .canceled
                    order.updateTime = now
                    account.orders[order.orderId] = order
                }
            }
            accounts[key] = account
        }
    }
}

extension ExchangeError {
    static let positionModeUnchanged = ExchangeError(
        status: 400, code: -4059, message: "No need to change position side.")
    static let positionModeOpenOrders = ExchangeError(
        status: 400, code: -4067, message: "Position side cannot be changed if there exists open orders.")
    static let positionModePosition = ExchangeError(
        status: 400, code: -4068, message: "Position side cannot be changed if there exists position.")
}
