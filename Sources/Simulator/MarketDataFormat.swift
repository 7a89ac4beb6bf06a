/// The JSON shapes of the market-data answers, as in the official examples.
enum MarketDataFormat {
    /// `depth` weight by `limit` (the only limits the exchange accepts).
    static let depthWeights: [Int: Int] = [5: 2, 10: 2, 20: 2, 50: 2, 100: 5, 500: 10, 1000: 20]

    /// `ticker.price` / `ticker.book` weight: 1 / 2 for one symbol, 2 / 5 for all.
    static func tickerWeight(book: Bool, all: Bool) -> Int { all ? (book ? 5 : 2) : (book ? 2 : 1) }

    static func depth(_ book: MarketData.Book, spec: SymbolSpec, now: Int64) -> String {
        func side(_ levels: [MarketData.Level]) -> String {
            "["
                + levels.map { #"["\#(spec.formatPrice($0.price))","\#(spec.formatQuantity($0.quantity))"]"# }
                .joined(separator: ",") + "]"
        }
        return
            #"{"lastUpdateId":\#(book.updateID),"E":\#(now),"T":\#(now - 3),"bids":\#(side(book.bids)),"asks":\#(side(book.asks))}"#
    }

    static func priceTicker(_ mid: Int64, spec: SymbolSpec, now: Int64) -> String {
        #"{"symbol":"\#(spec.symbol)","price":"\#(spec.formatPrice(mid))","time":\#(now)}"#
    }

    static func bookTicker(_ book: MarketData.Book, spec: SymbolSpec, now: Int64) -> String {
        #"{"lastUpdateId":\#(book.updateID),"symbol":"\#(spec.symbol)","#
            + #""bidPrice":"\#(spec.formatPrice(book.bids[0].price))","bidQty":"\#(spec.formatQuantity(book.bids[0].quantity))","#
            + #""askPrice":"\#(spec.formatPrice(book.asks[0].price))","askQty":"\#(spec.formatQuantity(book.asks[0].quantity))","#
            + #""time":\#(now)}"#
    }
}
