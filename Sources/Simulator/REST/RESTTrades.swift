/// `GET /fapi/v1/trades`, `/fapi/v1/historicalTrades` and `/fapi/v1/aggTrades` over the
/// `MarketTape`, in the official shapes:
/// trades `[{"id","price","qty","quoteQty","time","isBuyerMaker"}]`,
/// aggTrades `[{"a","p","q","f","l","T","m"}]` (futures has no `M`).
enum RESTTrades {
    /// Recent (`historical: false`) or from `fromId` (`historical: true`) trades up to `now`.
    static func trades(_ tape: MarketTape, _ params: TradingParams, historical: Bool, now: Int64) throws(ExchangeError) -> String {
        let limit = try RESTLimit.parse(params, default: historical ? 100 : 500, max: historical ? 500 : 1000)
        let last = MarketTape.lastTradeId(at: now)
        var first = last - Int64(limit) + 1
        if historical, let fromId = try params.integer("fromId") {
            guard fromId >= 0 else { throw .invalidParameter("fromId") }
            first = fromId
        }
        first = max(0, first)
        let end = min(last, first + Int64(limit) - 1)
        guard first <= end else { return "[]" }
        let spec = tape.spec
        return "[" + (first...end).map { id in
            let trade = tape.trade(id)
            let quote = DecimalText.format(trade.price * trade.quantity, decimals: spec.priceDecimals + spec.quantityDecimals)
            return #"{"id":\#(id),"price":"\#(spec.formatPrice(trade.price))","qty":"\#(spec.formatQuantity(trade.quantity))","#
                + #""quoteQty":"\#(quote)","time":\#(trade.time),"isBuyerMaker":\#(trade.isBuyerMaker)}"#
        }.joined(separator: ",") + "]"
    }

    /// Aggregate trade `g` holds trades `3g…3g+2` (those at or before `now`).
    static func aggTrades(_ tape: MarketTape, _ params: TradingParams, now: Int64) throws(ExchangeError) -> String {
        let limit = Int64(try RESTLimit.parse(params, default: 500, max: 1000))
        let lastGroup = MarketTape.lastTradeId(at: now) / MarketTape.groupSize
        let groupMillis = MarketTape.tradeSpacing * MarketTape.groupSize
        let startTime = try params.integer("startTime"), endTime = try params.integer("endTime")
        if let startTime, let endTime, endTime - startTime > 3_600_000 || endTime < startTime {
            throw .invalidParameter("startTime")
        }
        var first: Int64, last: Int64
        if let fromId = try params.integer("fromId") {
            guard fromId >= 0 else { throw .invalidParameter("fromId") }
            first = fromId
            last = first + limit - 1
        } else if let startTime {
            first = (max(0, startTime) + groupMillis - 1) / groupMillis
            last = first + limit - 1
        } else {
            last = endTime.map { max(-1, $0) / groupMillis } ?? lastGroup
            first = last - limit + 1
        }
        if let endTime { last = min(last, endTime / groupMillis) }
        first = max(0, first)
        last = min(last, lastGroup)
        guard first <= last else { return "[]" }
        let spec = tape.spec
        let lastTrade = MarketTape.lastTradeId(at: now)
        return "[" + (first...last).map { group in
            let ids = (group * MarketTape.groupSize)...min(lastTrade, group * MarketTape.groupSize + MarketTape.groupSize - 1)
            let trades = ids.map(tape.trade)
            let quantity = trades.reduce(0) { $0 + $1.quantity }
            return #"{"a":\#(group),"p":"\#(spec.formatPrice(trades[0].price))","q":"\#(spec.formatQuantity(quantity))","#
                + #""f":\#(ids.lowerBound),"l":\#(ids.upperBound),"T":\#(trades[0].time),"m":\#(trades[0].isBuyerMaker)}"#
        }.joined(separator: ",") + "]"
    }
}

/// The `limit` parameter of list endpoints, and the klines' limit-based weights.
enum RESTLimit {
    /// `limit` in 1…max, or `fallback` when absent. Assumption: out-of-range limits are refused
    /// with -1130 rather than clamped.
    static func parse(_ params: TradingParams, default fallback: Int, max: Int) throws(ExchangeError) -> Int {
        guard let text = params.optional("limit") else { return fallback }
        guard let value = Int(text), value >= 1, value <= max else { throw .invalidParameter("limit") }
        return value
    }

    /// Klines: [1,100) → 1, [100,500) → 2, [500,1000] → 5, > 1000 → 10 (default 500 → 5).
    static func klineWeight(_ params: TradingParams) -> Int {
        let limit = params.optional("limit").flatMap { Int($0) } ?? 500
        return switch limit {
        case ..<100: 1
        case 100..<500: 2
        case 500...1000: 5
        default: 10
        }
    }
}
