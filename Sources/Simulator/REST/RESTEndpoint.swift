import HTTP1

/// One row of the REST catalog: method, path, security, IP weight and what answers it.
/// The catalog is data; `RESTRoutes` serves every row the same way.
struct RESTEndpoint: Sendable {
    /// What an endpoint does, given the request's params, its API key and the exchange state.
    typealias Answer =
        @Sendable (_ context: RESTContext, _ state: inout SimulatedExchange.State) throws(ExchangeError) -> String

    let method: HTTPMethod
    let path: String
    let security: RESTAuthenticator.Security
    let weight: @Sendable (TradingParams) -> Int
    /// Whether a request counts on the account's ORDERS limits (placements and modifications);
    /// its answer then carries `X-MBX-ORDER-COUNT-10S` and `X-MBX-ORDER-COUNT-1M`.
    let countsOrders: Bool
    let answer: Answer

    init(
        _ method: HTTPMethod, _ path: String, _ security: RESTAuthenticator.Security, weight: Int,
        countsOrders: Bool = false, _ answer: @escaping Answer
    ) {
        self.init(method, path, security, weight: { _ in weight }, countsOrders: countsOrders, answer)
    }

    init(
        _ method: HTTPMethod, _ path: String, _ security: RESTAuthenticator.Security,
        weight: @escaping @Sendable (TradingParams) -> Int, countsOrders: Bool = false, _ answer: @escaping Answer
    ) {
        self.method = method
        self.path = path
        self.security = security
        self.weight = weight
        self.countsOrders = countsOrders
        self.answer = answer
    }
}

/// The request as an endpoint sees it (the state comes separately, under the exchange's lock).
struct RESTContext {
    let params: TradingParams
    let apiKey: String
    let now: Int64
    let seed: UInt64
    let weightLimit: Int

    /// The symbol named by `params[name]`, or -1102/-1121.
    func spec(_ name: String = "symbol") throws(ExchangeError) -> SymbolSpec {
        guard let spec = SymbolSpec.bySymbol[try params.required(name)] else { throw .invalidSymbol }
        return spec
    }

    /// The tape of `params[name]` (`symbol` or `pair`), or -1102/-1121.
    func tape(_ name: String = "symbol") throws(ExchangeError) -> MarketTape {
        MarketTape(seed: seed, spec: try spec(name))
    }

    /// The tape of `params[name]` merged with the exchange's fills of that symbol.
    func publicTape(_ state: SimulatedExchange.State, _ name: String = "symbol") throws(ExchangeError) -> PublicTape {
        let tape = try self.tape(name)
        return PublicTape(tape: tape, fills: state.trading.fills.fills(tape.spec.symbol), now: now)
    }
}
