/// `GET /fapi/v1/trades`, `/fapi/v1/historicalTrades` and `/fapi/v1/aggTrades` over the
/// `PublicTape` (synthetic trades and the exchange's fills), in the official shapes:
/// trades `[{"id","price","qty","quoteQty","time","isBuyerMaker"}]`,
/// aggTrades `[{"a","p","q","f","l","T","m"}]` (futures has no `M`).
enum RESTTrades {
    /// Recent (`historical: false`) or from `fromId` (`historical: true`) trades up to `now`, oldest first.
    static func trades(_ tape: PublicTape, _ params: TradingParams, historical: Bool) throws(ExchangeError) -> String {
        let limit = try RESTLimit.parse(params, default: historical ? 100 : 500, max: historical ? 500 : 1000)
        var rows = tape.recent(limit)
        if historical, let fromId = try params.integer("fromId") {
            guard fromId >= 0 else { throw .invalidParameter("fromId") }
            rows = tape.trades(from: fromId, limit: limit)
        }
        let spec = tape.tape.spec
        return "["
            + rows.map { trade in
                let quote = DecimalText.format(
                    trade.price * trade.quantity, decimals: spec.priceDecimals + spec.quantityDecimals)
                return
                    #"{"id":\#(trade.id),"price":"\#(spec.formatPrice(trade.price))","qty":"\#(spec.formatQuantity(trade.quantity))","#
                    + #""quoteQty":"\#(quote)","time":\#(trade.time),"isBuyerMaker":\#(trade.isBuyerMaker)}"#
            }.joined(separator: ",") + "]"
    }

    /// Aggregate trades by `fromId`, `startTime` (at most one hour before `endTime`) or the latest.
    static func aggTrades(_ tape: PublicTape, _ params: TradingParams) throws(ExchangeError) -> String {
        let limit = Int64(try RESTLimit.parse(params, default: 500, max: 1000))
        let startTime = try params.integer("startTime"), endTime = try params.integer("endTime")
        if let startTime, let endTime, endTime - startTime > 3_600_000 || endTime < startTime {
            throw .invalidParameter("startTime")
        }
        let fromId = try params.integer("fromId")
        if let fromId, fromId < 0 { throw .invalidParameter("fromId") }
        let spec = tape.tape.spec
        return "["
            + tape.aggregates(fromId: fromId, startTime: startTime, endTime: endTime, limit: limit).map { row in
                #"{"a":\#(row.id),"p":"\#(spec.formatPrice(row.price))","q":"\#(spec.formatQuantity(row.quantity))","#
                    + #""f":\#(row.firstId),"l":\#(row.lastId),"T":\#(row.time),"m":\#(row.isBuyerMaker)}"#
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
