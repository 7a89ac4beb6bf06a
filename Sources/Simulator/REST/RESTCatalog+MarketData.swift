import HTTP1

/// The market-data rows beyond trades and klines: the book, the tickers, the premium index,
/// funding rates and open interest (weights from the official pages).
extension RESTCatalog {
    static let marketDataEndpoints: [RESTEndpoint] = [
        RESTEndpoint(
            .GET, "/fapi/v1/depth", .none,
            weight: { MarketDataFormat.depthWeights[$0.optional("limit").flatMap { Int($0) } ?? 500] ?? 10 }
        ) {
            context, state throws(ExchangeError) in
            let spec = try context.spec()
            let limit = try context.params.integer("limit") ?? 500
            guard MarketDataFormat.depthWeights[Int(limit)] != nil else { throw .invalidParameter("limit") }
            return state.depth(spec, limit: Int(limit), now: context.now)
        },
        priceTicker("/fapi/v1/ticker/price"),
        priceTicker("/fapi/v2/ticker/price"),
        RESTEndpoint(
            .GET, "/fapi/v1/ticker/bookTicker", .none,
            weight: { MarketDataFormat.tickerWeight(book: true, all: $0.optional("symbol") == nil) }
        ) {
            context, state throws(ExchangeError) in
            state.bookTickers(try RESTMarketFormat.optionalSymbol(context.params), now: context.now)
        },
        RESTEndpoint(.GET, "/fapi/v1/ticker/24hr", .none, weight: { $0.optional("symbol") == nil ? 40 : 1 }) {
            context, state throws(ExchangeError) in
            let spec = try RESTMarketFormat.optionalSymbol(context.params)
            return RESTMarketFormat.perSymbol(spec) { spec in
                RESTMarketFormat.ticker24h(
                    PublicTape(
                        tape: MarketTape(seed: context.seed, spec: spec),
                        fills: state.trading.fills.fills(spec.symbol), now: context.now), now: context.now)
            }
        },
        RESTEndpoint(.GET, "/fapi/v1/premiumIndex", .none, weight: { $0.optional("symbol") == nil ? 10 : 1 }) {
            context, state throws(ExchangeError) in
            let (marks, funding) = (state.marks, state.funding)
            return RESTMarketFormat.perSymbol(try RESTMarketFormat.optionalSymbol(context.params)) {
                RESTMarketFormat.premiumIndex($0, mark: marks($0), funding: funding, now: context.now)
            }
        },
        RESTEndpoint(.GET, "/fapi/v1/fundingRate", .none, weight: 1) { context, state throws(ExchangeError) in
            try RESTMarketFormat.fundingRates(
                context.params, funding: state.funding, seed: context.seed, now: context.now)
        },
        RESTEndpoint(.GET, "/fapi/v1/openInterest", .none, weight: 1) { context, state throws(ExchangeError) in
            RESTMarketFormat.openInterest(
                try context.spec(), trading: state.trading, seed: context.seed, now: context.now)
        },
    ]

    private static func priceTicker(_ path: String) -> RESTEndpoint {
        RESTEndpoint(
            .GET, path, .none, weight: { MarketDataFormat.tickerWeight(book: false, all: $0.optional("symbol") == nil) }
        ) {
            context, state throws(ExchangeError) in
            state.priceTickers(try RESTMarketFormat.optionalSymbol(context.params), now: context.now)
        }
    }
}
