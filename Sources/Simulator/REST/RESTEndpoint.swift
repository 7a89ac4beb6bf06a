import HTTP1

/// One row of the REST catalog: method, path, security, IP weight and what answers it.
/// The catalog is data; `RESTRoutes` serves every row the same way.
struct RESTEndpoint: Sendable {
    /// What an endpoint does, given the request's params, its API key and the exchange state.
    typealias Answer = @Sendable (_ context: RESTContext, _ state: inout SimulatedExchange.State) throws(ExchangeError) -> String

    let method: HTTPMethod
    let path: String
    let security: RESTAuthenticator.Security
    let weight: @Sendable (TradingParams) -> Int
    let answer: Answer

    init(_ method: HTTPMethod, _ path: String, _ security: RESTAuthenticator.Security, weight: Int, _ answer: @escaping Answer) {
        self.init(method, path, security, weight: { _ in weight }, answer)
    }

    init(_ method: HTTPMethod, _ path: String, _ security: RESTAuthenticator.Security,
         weight: @escaping @Sendable (TradingParams) -> Int, _ answer: @escaping Answer) {
        self.method = method
        self.path = path
        self.security = security
        self.weight = weight
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

    /// The tape of `params[name]` (`symbol` or `pair`), or -1102/-1121.
    func tape(_ name: String = "symbol") throws(ExchangeError) -> MarketTape {
        guard let spec = SymbolSpec.bySymbol[try params.required(name)] else { throw .invalidSymbol }
        return MarketTape(seed: seed, spec: spec)
    }

    /// The tape of `params[name]` merged with the exchange's fills of that symbol.
    func publicTape(_ state: SimulatedExchange.State, _ name: String = "symbol") throws(ExchangeError) -> PublicTape {
        let tape = try self.tape(name)
        return PublicTape(tape: tape, fills: state.trading.fills.fills(tape.spec.symbol), now: now)
    }
}
