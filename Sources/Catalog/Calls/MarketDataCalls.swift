/// Order book, trades, klines and tickers. Seed calls 1-11.
enum MarketDataCalls {
    static let all: [CallSpec] = [
        CallSpec(
            "ws_futures_get_order_book", .webSocket("depth"), security: .none,
            parameters: [P.symbol, P.limit], weight: .depthLimit,
            summary: "Order book: bids and asks up to `limit` levels (5, 10, 20, 50, 100, 500, 1000)."),
        CallSpec(
            "ws_futures_get_recent_trades", .rest(.GET, "/fapi/v1/trades"), security: .none,
            parameters: [P.symbol, P.limit], weight: .fixed(5),
            summary: "Recent public trades."),
        CallSpec(
            "ws_futures_get_historical_trades", .rest(.GET, "/fapi/v1/historicalTrades"), security: .apiKey,
            parameters: [P.symbol, P.limit, P.fromId], weight: .fixed(20),
            summary: "Older public trades, from `fromId`."),
        CallSpec(
            "ws_futures_get_aggregate_trades", .rest(.GET, "/fapi/v1/aggTrades"), security: .none,
            parameters: [P.symbol, P.fromId, P.startTime, P.endTime, P.limit], weight: .fixed(20),
            summary: "Aggregate trades."),
        CallSpec(
            "ws_futures_get_klines", .rest(.GET, "/fapi/v1/klines"), security: .none,
            parameters: [P.symbol] + P.klineWindow, weight: .klineLimit,
            summary: "Klines (candlesticks) of trade prices."),
        CallSpec(
            "ws_futures_get_continuous_klines", .rest(.GET, "/fapi/v1/continuousKlines"), security: .none,
            parameters: [
                .required("pair", .symbol),
                .required("contractType", .oneOf(["PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"])),
            ]
                + P.klineWindow,
            weight: .klineLimit, summary: "Klines of a continuous contract."),
        CallSpec(
            "ws_futures_get_index_price_klines", .rest(.GET, "/fapi/v1/indexPriceKlines"), security: .none,
            parameters: [.required("pair", .symbol)] + P.klineWindow, weight: .klineLimit,
            summary: "Klines of the index price."),
        CallSpec(
            "ws_futures_get_mark_price_klines", .rest(.GET, "/fapi/v1/markPriceKlines"), security: .none,
            parameters: [P.symbol] + P.klineWindow, weight: .klineLimit,
            summary: "Klines of the mark price."),
        CallSpec(
            "ws_futures_get_premium_index_klines", .rest(.GET, "/fapi/v1/premiumIndexKlines"), security: .none,
            parameters: [P.symbol] + P.klineWindow, weight: .klineLimit,
            summary: "Klines of the premium index."),
        CallSpec(
            "ws_futures_get_all_tickers", .webSocket("ticker.price"), security: .none,
            parameters: [P.optionalSymbol], weight: .bySymbol(with: 1, without: 2),
            summary: "Latest price of one symbol, or of all."),
        CallSpec(
            "ws_futures_get_orderbook_tickers", .webSocket("ticker.book"), security: .none,
            parameters: [P.optionalSymbol], weight: .bySymbol(with: 2, without: 5),
            summary: "Best bid and ask of one symbol, or of all (the seed's name)."),
        CallSpec(
            "ws_futures_get_order_book_ticker", .webSocket("ticker.book"), security: .none,
            parameters: [P.optionalSymbol], weight: .bySymbol(with: 2, without: 5),
            summary: "Best bid and ask of one symbol, or of all (python-binance's name)."),
    ]
}
