/// The REST-only market-data answers: the 24-hour ticker, the premium index, funding rates and
/// open interest, in the official shapes, from the tape, the live books and `FundingSchedule`.
enum RESTMarketFormat {
    /// The symbol named by `params["symbol"]`, `nil` when absent, or -1121.
    static func optionalSymbol(_ params: TradingParams) throws(ExchangeError) -> SymbolSpec? {
        guard let symbol = params.optional("symbol") else { return nil }
        guard let spec = SymbolSpec.bySymbol[symbol] else { throw .invalidSymbol }
        return spec
    }

    /// One object for a symbol, an array of every symbol's otherwise.
    static func perSymbol(_ spec: SymbolSpec?, _ row: (SymbolSpec) -> String) -> String {
        spec.map(row) ?? "[" + SymbolSpec.all.map(row).joined(separator: ",") + "]"
    }

    /// `ticker/24hr`: the tape's (and the exchange's own) trades of the last 24 hours.
    static func ticker24h(_ tape: PublicTape, now: Int64) -> String {
        let spec = tape.tape.spec, open = now - 86_400_000
        let fills = tape.fills.filter { $0.time >= open && $0.time <= now }
        let quoteDecimals = spec.priceDecimals + spec.quantityDecimals
        guard let summary = RESTKlines.tradeSummary(tape.tape, open: open, close: now, now: now, fills: Array(fills))
        else {
            return
                #"{"symbol":"\#(spec.symbol)","priceChange":"0","priceChangePercent":"0","count":0,"openTime":\#(open),"closeTime":\#(now)}"#
        }
        let change = summary.close - summary.open
        let percent = DecimalText.format(TradingMath.scale(change, 100_000, summary.open), decimals: 3)
        let average = summary.volume == 0 ? 0 : summary.quote / summary.volume
        return
            #"{"symbol":"\#(spec.symbol)","priceChange":"\#(spec.formatPrice(change))","priceChangePercent":"\#(percent)","#
            + #""weightedAvgPrice":"\#(spec.formatPrice(average))","lastPrice":"\#(spec.formatPrice(summary.close))","#
            + #""lastQty":"\#(spec.formatQuantity(summary.last.quantity))","openPrice":"\#(spec.formatPrice(summary.open))","#
            + #""highPrice":"\#(spec.formatPrice(summary.high))","lowPrice":"\#(spec.formatPrice(summary.low))","#
            + #""volume":"\#(spec.formatQuantity(summary.volume))","#
            + #""quoteVolume":"\#(DecimalText.format(summary.quote, decimals: quoteDecimals))","#
            + #""openTime":\#(open),"closeTime":\#(now),"firstId":\#(summary.first.id),"lastId":\#(summary.last.id),"#
            + #""count":\#(summary.count)}"#
    }

    /// `premiumIndex`: mark (and index) price is the live book's mid, the account's mark;
    /// `lastFundingRate` is the rate the next funding time will settle at.
    static func premiumIndex(_ spec: SymbolSpec, mark: Int64, funding: FundingSchedule, now: Int64) -> String {
        let next = funding.nextFundingTime(after: now)
        let price = TradingMath.format8(mark)
        return #"{"symbol":"\#(spec.symbol)","markPrice":"\#(price)","indexPrice":"\#(price)","#
            + #""estimatedSettlePrice":"\#(price)","lastFundingRate":"\#(rate(funding.rate(spec, at: next)))","#
            + #""interestRate":"\#(rate(FundingSchedule.interestRate))","nextFundingTime":\#(next),"time":\#(now)}"#
    }

    /// `fundingRate`: past funding times (at most now) of one symbol or all, oldest first; the
    /// latest `limit` (default 100, max 1000) unless `startTime` is given.
    static func fundingRates(
        _ params: TradingParams, funding: FundingSchedule, seed: UInt64, now: Int64
    ) throws(ExchangeError) -> String {
        let specs = try optionalSymbol(params).map { [$0] } ?? SymbolSpec.all
        let limit = try RESTLimit.parse(params, default: 100, max: 1000)
        let start = try params.integer("startTime"), end = min(try params.integer("endTime") ?? now, now)
        if let start, start < 0 { throw .invalidParameter("startTime") }
        if end < 0 { throw .invalidParameter("endTime") }
        let times = funding.times(from: start ?? 0, through: end, limit: limit, latest: start == nil)
        var rows: [(Int64, String)] = []
        for spec in specs {
            let tape = MarketTape(seed: seed, spec: spec)
            for time in times {
                let mark = tape.markPrice(time) * TradingMath.pow10(TradingMath.quoteDecimals - spec.priceDecimals)
                rows.append(
                    (
                        time,
                        #"{"symbol":"\#(spec.symbol)","fundingRate":"\#(rate(funding.rate(spec, at: time)))","#
                            + #""fundingTime":\#(time),"markPrice":"\#(TradingMath.format8(mark))"}"#
                    ))
            }
        }
        let sorted = rows.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
        let chosen = start == nil ? sorted.suffix(limit) : sorted.prefix(limit)
        return "[" + chosen.joined(separator: ",") + "]"
    }

    /// `openInterest`: a seeded base of the other participants plus the accounts' long positions.
    static func openInterest(_ spec: SymbolSpec, trading: TradingEngine, seed: UInt64, now: Int64) -> String {
        let base =
            Int64(SeededRandom.mix(seed, spec.symbol.hashValueStable, 0x4F49) % 50_000 + 10_000) * spec.stepUnits * 10
        let longs = trading.accounts.values.reduce(Int64(0)) { total, account in
            total + account.positions.values.reduce(0) { $0 + max(0, $1.amount) }
        }
        return #"{"openInterest":"\#(spec.formatQuantity(base + longs))","symbol":"\#(spec.symbol)","time":\#(now)}"#
    }

    /// A rate in 10^-8 with its eight decimals, as the exchange prints funding rates.
    static func rate(_ value: Int64) -> String { DecimalText.format(value, decimals: 8) }
}
