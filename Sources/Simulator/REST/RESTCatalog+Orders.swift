import HTTP1

/// The order rows: single and batch orders, the test order, queries, the countdown cancel and
/// algo orders. Placements and modifications count on ORDERS (IP weight 0, like the exchange's).
extension RESTCatalog {
    static let orderEndpoints: [RESTEndpoint] = [
        RESTEndpoint(.POST, "/fapi/v1/order", .signed, weight: 0, countsOrders: true) {
            context, state throws(ExchangeError) in
            let books = state.books
            return try state.trading.place(context.apiKey, context.params, now: context.now, books: books)
        },
        RESTEndpoint(.PUT, "/fapi/v1/order", .signed, weight: 0, countsOrders: true) {
            context, state throws(ExchangeError) in
            let books = state.books
            return try state.trading.modify(context.apiKey, context.params, now: context.now, books: books)
        },
        RESTEndpoint(.DELETE, "/fapi/v1/order", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.cancel(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.GET, "/fapi/v1/order", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.status(context.apiKey, context.params)
        },
        // Weight 1 (the exchange counts 0): the check runs on a copy of the engine, which costs more.
        RESTEndpoint(.POST, "/fapi/v1/order/test", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restTestOrder(context.apiKey, context.params, now: context.now, books: state.books)
        },
        RESTEndpoint(.POST, "/fapi/v1/batchOrders", .signed, weight: 5, countsOrders: true) {
            context, state throws(ExchangeError) in
            let books = state.books
            return try state.trading.restBatch(
                context.apiKey, context.params, now: context.now, books: books, modify: false)
        },
        RESTEndpoint(.PUT, "/fapi/v1/batchOrders", .signed, weight: 5, countsOrders: true) {
            context, state throws(ExchangeError) in
            let books = state.books
            return try state.trading.restBatch(
                context.apiKey, context.params, now: context.now, books: books, modify: true)
        },
        RESTEndpoint(.GET, "/fapi/v1/openOrder", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.trading.restOpenOrder(context.apiKey, context.params)
        },
        RESTEndpoint(.POST, "/fapi/v1/countdownCancelAll", .signed, weight: 10) {
            context, state throws(ExchangeError) in
            try state.trading.restCountdownCancelAll(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.POST, "/fapi/v1/algoOrder", .signed, weight: 0, countsOrders: true) {
            context, state throws(ExchangeError) in
            let (books, account) = (state.books, state.trading.account(context.apiKey))
            return try state.algos.place(
                context.apiKey, context.params, now: context.now, account: account, books: books)
        },
        RESTEndpoint(.GET, "/fapi/v1/algoOrder", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.algos.restQuery(context.apiKey, context.params, trading: state.trading)
        },
        RESTEndpoint(.DELETE, "/fapi/v1/algoOrder", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.algos.cancel(context.apiKey, context.params, now: context.now)
        },
        RESTEndpoint(.GET, "/fapi/v1/openAlgoOrders", .signed, weight: { $0.optional("symbol") == nil ? 40 : 1 }) {
            context, state throws(ExchangeError) in
            try state.algos.restOpenOrders(context.apiKey, context.params, trading: state.trading)
        },
        RESTEndpoint(.GET, "/fapi/v1/allAlgoOrders", .signed, weight: 5) { context, state throws(ExchangeError) in
            try state.algos.restAllOrders(context.apiKey, context.params, trading: state.trading)
        },
        RESTEndpoint(.DELETE, "/fapi/v1/algoOpenOrders", .signed, weight: 1) { context, state throws(ExchangeError) in
            try state.algos.restCancelAll(context.apiKey, context.params, now: context.now)
        },
    ]
}
