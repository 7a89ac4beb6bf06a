/// The simulator's REST endpoints (`/fapi/...`): paths, weights and security from the official
/// pages (reference seed-mapping.md), answers from the tape, the engine and `ExchangeInfoFormat`.
enum RESTCatalog {
    static let continuousContractTypes: Set<String> = ["PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"]

    static let endpoints: [RESTEndpoint] = baseEndpoints + marketDataEndpoints + accountEndpoints + orderEndpoints

    private static let baseEndpoints: [RESTEndpoint] = [
        RESTEndpoint(.GET, "/fapi/v1/ping", .none, weight: 1) { _, _ throws(ExchangeError) in "{}" },
        RESTEndpoint(.GET, "/fapi/v1/time", .none, weight: 1) { context, state throws(ExchangeError) in
            #"{"serverTime":\#(context.now)}"#
        },
        RESTEndpoint(.GET, "/fapi/v1/exchangeInfo", .none, weight: 1) { context, state throws(ExchangeError) in
            ExchangeInfoFormat.json(
                now: context.now, weightLimit: context.weightLimit,
                orderLimit10s: state.orderLimiter.limit10s, orderLimit1m: state.orderLimiter.limit1m)
        },
        RESTEndpoint(.GET, "/fapi/v1/trades", .none, weight: 5) { context, state throws(ExchangeError) in
            try RESTTrades.trades(try context.publicTape(state), context.params, historical: false)
        },
        RESTEndpoint(.GET, "/fapi/v1/historicalTrades", .apiKey, weight: 20) { context, state throws(ExchangeError) in
            try RESTTrades.trades(try context.publicTape(state), context.params, historical: true)
        },
        RESTEndpoint(.GET, "/fapi/v1/aggTrades", .none, weight: 20) { context, state throws(ExchangeError) in
            try RESTTrades.aggTrades(try context.publicTape(state), context.params)
        },
        klines("/fapi/v1/klines", .trades, symbolParam: "symbol"),
        klines("/fapi/v1/continuousKlines", .trades, symbolParam: "pair", contractType: true),
        klines("/fapi/v1/indexPriceKlines", .index, symbolParam: "pair"),
        klines("/fapi/v1/markPriceKlines", .mark, symbolParam: "symbol"),
        klines("/fapi/v1/premiumIndexKlines", .premium, symbolParam: "symbol"),
        RESTEndpoint(.GET, "/fapi/v1/openOrders", .signed, weight: { $0.optional("symbol") == nil ? 40 : 1 }) {
            context, state throws(ExchangeError) in try state.trading.restOpenOrders(context.apiKey, context.params)
        },
        RESTEndpoint(.GET, "/fapi/v1/allOrders", .signed, weight: 5) { context, state throws(ExchangeError) in
            try state.trading.restAllOrders(context.apiKey, context.params)
        },
        RESTEndpoint(.DELETE, "/fapi/v1/allOpenOrders", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restCancelAll(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.DELETE, "/fapi/v1/batchOrders", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restCancelBatch(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.GET, "/fapi/v1/userTrades", .signed, weight: 5) { context, state throws(ExchangeError) in
            try state.trading.restUserTrades(context.apiKey, context.params)
        },
        RESTEndpoint(.POST, "/fapi/v1/leverage", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restChangeLeverage(context.apiKey, context.params)
        },
        RESTEndpoint(.POST, "/fapi/v1/marginType", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restChangeMarginType(context.apiKey, context.params)
        },
        RESTEndpoint(.GET, "/fapi/v1/positionMargin/history", .signed, weight: 1) {
            context, state throws(ExchangeError) in
            try state.trading.restPositionMarginHistory(context.apiKey, context.params)
        },
        RESTEndpoint(.POST, "/fapi/v1/positionMargin", .signed, weight: 1) { context, state throws(ExchangeError) in
            let marks = state.marks
            return try state.trading.restChangePositionMargin(
                context.apiKey, context.params, now: context.now, marks: marks)
        },
    ]

    private static func klines(
        _ path: String, _ kind: RESTKlines.Kind, symbolParam: String,
        contractType: Bool = false
    ) -> RESTEndpoint {
        RESTEndpoint(.GET, path, .none, weight: RESTLimit.klineWeight) { context, state throws(ExchangeError) in
            let tape = try context.publicTape(state, symbolParam)
            if contractType {
                // Assumption: the listed pairs are perpetuals; the quarterly types answer the same tape.
                guard continuousContractTypes.contains(try context.params.required("contractType")) else {
                    throw .invalidParameter("contractType")
                }
            }
            return try RESTKlines.answer(kind, tape, context.params, now: context.now)
        }
    }
}
