import HTTP1

/// The account rows: balances, positions and account (v2 and v3 answer like the WebSocket API's
/// `account.*` and `v2/account.*`), settings, income and listen keys.
extension RESTCatalog {
    static let accountEndpoints: [RESTEndpoint] = [
        account("/fapi/v2/account", "account.status"),
        account("/fapi/v3/account", "v2/account.status"),
        account("/fapi/v2/balance", "account.balance"),
        account("/fapi/v3/balance", "v2/account.balance"),
        account("/fapi/v2/positionRisk", "account.position"),
        account("/fapi/v3/positionRisk", "v2/account.position"),
        RESTEndpoint(.GET, "/fapi/v1/leverageBracket", .signed, weight: 1) { context, state throws(ExchangeError) in
            TradingEngine.leverageBracket(try RESTMarketFormat.optionalSymbol(context.params))
        },
        RESTEndpoint(.GET, "/fapi/v1/positionSide/dual", .signed, weight: 30) { context, state throws(ExchangeError) in
            #"{"dualSidePosition":\#(state.trading.account(context.apiKey).dualSidePosition)}"#
        },
        RESTEndpoint(.POST, "/fapi/v1/positionSide/dual", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restChangePositionMode(context.apiKey, context.params)
        },
        RESTEndpoint(.GET, "/fapi/v1/multiAssetsMargin", .signed, weight: 30) { _, _ throws(ExchangeError) in
            #"{"multiAssetsMargin":false}"#
        },
        // Assumption: the simulator's accounts hold USDT only, so single-asset mode is the one mode;
        // asking for it again succeeds, asking for multi-assets mode is an invalid value.
        RESTEndpoint(.POST, "/fapi/v1/multiAssetsMargin", .signed, weight: 1) { context, _ throws(ExchangeError) in
            guard try context.params.required("multiAssetsMargin").lowercased() == "false" else {
                throw .invalidParameter("multiAssetsMargin")
            }
            return #"{"code":200,"msg":"success"}"#
        },
        RESTEndpoint(.GET, "/fapi/v1/commissionRate", .signed, weight: 20) { context, _ throws(ExchangeError) in
            TradingEngine.commissionRate(try context.spec())
        },
        RESTEndpoint(.GET, "/fapi/v1/income", .signed, weight: 30) { context, state throws(ExchangeError) in
            try state.trading.restIncome(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.POST, "/fapi/v1/listenKey", .apiKey, weight: 1) { context, state throws(ExchangeError) in
            state.startListenKey(context.apiKey, now: context.now)
        },
        RESTEndpoint(.PUT, "/fapi/v1/listenKey", .apiKey, weight: 1) { context, state throws(ExchangeError) in
            try state.keepListenKeyAlive(context.apiKey, now: context.now).get()
        },
        RESTEndpoint(.DELETE, "/fapi/v1/listenKey", .apiKey, weight: 1) { context, state throws(ExchangeError) in
            state.stopListenKey(context.apiKey)
        },
    ]

    /// A REST account query answered by the WebSocket method `method`'s formatter.
    private static func account(_ path: String, _ method: String) -> RESTEndpoint {
        RESTEndpoint(.GET, path, .signed, weight: 5) { context, state throws(ExchangeError) in
            try AccountFormat.answer(
                method, state.trading.account(context.apiKey), params: context.params, now: context.now,
                books: state.books)
        }
    }
}
