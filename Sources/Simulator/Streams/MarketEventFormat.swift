/// The market-stream payloads in the official shapes (reference §3), from the simulator's books,
/// fills and funding schedule.
enum MarketEventFormat {
    typealias Level = (price: Int64, quantity: Int64)

    static func levels(_ levels: [Level], _ spec: SymbolSpec) -> String {
        "["
            + levels.map { #"["\#(spec.formatPrice($0.price))","\#(spec.formatQuantity($0.quantity))"]"# }
            .joined(separator: ",") + "]"
    }

    /// `depthUpdate`: a diff (absolute quantities, 0 removes a level) or a top-N snapshot.
    static func depthUpdate(
        _ spec: SymbolSpec, first: Int64, last: Int64, previous: Int64, bids: [Level], asks: [Level], now: Int64
    ) -> String {
        #"{"e":"depthUpdate","E":\#(now),"T":\#(now),"s":"\#(spec.symbol)","U":\#(first),"u":\#(last),"#
            + #""pu":\#(previous),"b":\#(levels(bids, spec)),"a":\#(levels(asks, spec))}"#
    }

    static func bookTicker(_ book: MarketData.Book, _ spec: SymbolSpec, now: Int64) -> String {
        let (bid, ask) = (book.bids[0], book.asks[0])
        return #"{"e":"bookTicker","u":\#(book.updateID),"E":\#(now),"T":\#(now),"s":"\#(spec.symbol)","#
            + #""b":"\#(spec.formatPrice(bid.price))","B":"\#(spec.formatQuantity(bid.quantity))","#
            + #""a":"\#(spec.formatPrice(ask.price))","A":"\#(spec.formatQuantity(ask.quantity))"}"#
    }

    /// One fill is one aggregate trade, with the fill's id (as `GET /fapi/v1/aggTrades` shows it).
    static func aggTrade(_ fill: ExchangeFill, _ spec: SymbolSpec, now: Int64) -> String {
        let quantity = spec.formatQuantity(fill.quantity)
        return #"{"e":"aggTrade","E":\#(now),"s":"\#(spec.symbol)","a":\#(fill.id),"#
            + #""p":"\#(spec.formatPrice(fill.price))","q":"\#(quantity)","nq":"\#(quantity)","#
            + #""f":\#(fill.id),"l":\#(fill.id),"T":\#(fill.time),"m":\#(fill.isBuyerMaker)}"#
    }

    /// `markPriceUpdate`, with the values `GET /fapi/v1/premiumIndex` answers at the same moment.
    static func markPrice(_ spec: SymbolSpec, mark: Int64, funding: FundingSchedule, now: Int64) -> String {
        let next = funding.nextFundingTime(after: now)
        let price = TradingMath.format8(mark)
        return #"{"e":"markPriceUpdate","E":\#(now),"s":"\#(spec.symbol)","p":"\#(price)","i":"\#(price)","#
            + #""P":"\#(price)","r":"\#(RESTMarketFormat.rate(funding.rate(spec, at: next)))","T":\#(next)}"#
    }

    /// `listenKeyExpired`; `E` is a string, as the exchange sends it.
    static func listenKeyExpired(_ key: String, now: Int64) -> String {
        #"{"e":"listenKeyExpired","E":"\#(now)","listenKey":"\#(key)"}"#
    }
}
