import EventLoops
import FoundationEssentials
import Synchronization

/// The simulated Binance USDⓈ-M Futures WebSocket API: a request frame in, the answer frame out,
/// in the real envelope `{"id","status","result"|"error","rateLimits"}`.
///
/// It serves the market-data methods (`depth`, `ticker.price`, `ticker.book`), the session
/// methods (`session.logon/status/logout`) and the user data stream methods, with the real
/// shapes, weights, authentication and errors. Its state has one owner, a mutex: connections
/// on different loops call it concurrently.
public final class SimulatedExchange: Sendable {
    /// Everything the exchange knows; extensions in this module (REST, algo orders) work on it
    /// only inside `state.withLock`.
    struct State {
        var market: MarketData
        var limiter: RequestWeightLimiter
        var trading: TradingEngine
        var orderLimiter: OrderRateLimiter
        var algos: AlgoEngine
        /// Live listen keys by owner (API key).
        var listenKeys: [String: ListenKey] = [:]
        /// How long a listen key lives without a keepalive (the exchange's: 60 minutes).
        var listenKeyLifetime: Int64 = 3_600_000
        var funding: FundingSchedule
        /// The latest funding time settled (`nil` before the first request: nothing is owed yet).
        var settledFunding: Int64?
    }

    let state: Mutex<State>
    /// The exchange's "now": the injected clock plus the clock-skew offset.
    let clock: @Sendable () -> Int64
    private let offset = ExchangeClockOffset()
    let authenticator: RequestAuthenticator
    /// The open user data streams (`/ws/<listenKey>`) and the accounts they follow.
    let userStreams = UserStreamHub()
    /// The open market streams (`/public/…`, `/market/…`, `/ws/…`, `/stream?…`) and their subscriptions.
    let marketStreams: MarketStreamHub

    /// - Parameters:
    ///   - seed: the same seed and the same requests give the same books.
    ///   - weightLimit: REQUEST_WEIGHT per minute (the exchange's is 2400).
    ///   - orderLimit10s, orderLimit1m: ORDERS per account per 10 s and per minute (the exchange's: 300, 1200).
    ///   - fundingIntervalMillis: time between funding settlements (the exchange's: 8 hours, at 00:00,
    ///     08:00 and 16:00 UTC); positive.
    ///   - clock: milliseconds since the epoch (tests pin it).
    ///   - keys: the API keys the exchange accepts.
    public init(
        seed: UInt64, keys: SimulatorKeys = SimulatorKeys(), weightLimit: Int = 2400, refusalsBeforeBan: Int = 10,
        orderLimit10s: Int = 300, orderLimit1m: Int = 1200, fundingIntervalMillis: Int64 = 8 * 3_600_000,
        clock: @escaping @Sendable () -> Int64 = SimulatedExchange.wallClockMillis
    ) {
        state = Mutex(
            State(
                market: MarketData(seed: seed),
                limiter: RequestWeightLimiter(limit: weightLimit, refusalsBeforeBan: refusalsBeforeBan),
                trading: TradingEngine(seed: seed),
                orderLimiter: OrderRateLimiter(limit10s: orderLimit10s, limit1m: orderLimit1m),
                algos: AlgoEngine(seed: seed),
                funding: FundingSchedule(seed: seed, interval: fundingIntervalMillis)))
        let offset = offset
        let shifted: @Sendable () -> Int64 = { clock() + offset.value }
        self.clock = shifted
        marketStreams = MarketStreamHub(clock: shifted)
        self.authenticator = RequestAuthenticator(keys: keys)
    }

    /// How far the exchange's clock runs ahead of the injected one (negative: behind), in ms.
    /// Everything reads it: timestamp checks, `serverTime`, order and event times.
    public var clockOffsetMillis: Int64 { offset.value }

    /// Shifts the exchange's clock from the next request on (the `clockOffset` fault sets it).
    public func setClockOffset(millis: Int64) { offset.set(millis) }

    /// Opens the per-connection state (`session.logon` lasts as long as the connection).
    func openSession() -> ExchangeSession { ExchangeSession(connectedSince: clock()) }

    /// Answers one request frame on a connection of its own.
    public func handle(_ frame: [UInt8]) -> [UInt8] { handle(frame, session: openSession()) }

    /// Answers one request frame received on the connection that owns `session`.
    func handle(_ frame: [UInt8], session: ExchangeSession) -> [UInt8] {
        let now = clock()
        let request: RequestEnvelope
        do {
            request = try RequestEnvelope(frame: frame)
        } catch {
            return Self.envelope(
                id: error.id, status: error.error.status, body: #""error":\#(error.error.json)"#, limits: nil)
        }
        let (method, id, rawParams) = (request.method, request.id, request.params)
        return withWatchedState(now: now) { state in
            state.advance(to: now)
            var orderAccount: String?
            let outcome =
                answerSessionMethod(method, rawParams, session: session, now: now, state: &state)
                ?? answerTradingMethod(
                    method, rawParams, session: session, now: now, state: &state, orderAccount: &orderAccount)
                ?? answer(method, rawParams, now: now, state: &state)
            // Order methods of an authenticated account also report its ORDERS counts.
            let limits =
                orderAccount.map {
                    "[" + state.limiter.entryJSON + "," + state.orderLimiter.entriesJSON($0, now: now) + "]"
                }
                ?? state.limiter.rateLimitsJSON()
            switch outcome {
            case .success(let result):
                return Self.envelope(id: id, status: 200, body: #""result":\#(result)"#, limits: limits)
            case .failure(let error):
                return Self.envelope(id: id, status: error.status, body: #""error":\#(error.json)"#, limits: limits)
            }
        }
    }

    private func answer(
        _ method: String, _ params: JSONParams, now: Int64, state: inout State
    ) -> Result<String, ExchangeError> {
        let symbol = params.isString("symbol") ? params["symbol"] : nil
        let spec = symbol.flatMap { SymbolSpec.bySymbol[$0] }
        if symbol != nil && spec == nil { return .failure(.invalidSymbol) }
        switch method {
        case "depth":
            guard let spec else { return .failure(.mandatoryParameter("symbol")) }
            let limit: Int
            switch Self.integer(params, "limit") {
            case .some(let value?): limit = value
            case .some(nil): return .failure(.invalidParameter("limit"))
            case nil: limit = 500
            }
            guard let weight = MarketDataFormat.depthWeights[limit] else { return .failure(.invalidParameter("limit")) }
            if case .failure(let error) = state.limiter.charge(weight, now: now) { return .failure(error) }
            return .success(state.depth(spec, limit: limit, now: now))
        case "ticker.price", "ticker.book":
            let book = method == "ticker.book"
            if case .failure(let error) = state.limiter.charge(
                MarketDataFormat.tickerWeight(book: book, all: spec == nil), now: now)
            {
                return .failure(error)
            }
            return .success(book ? state.bookTickers(spec, now: now) : state.priceTickers(spec, now: now))
        default:
            return .failure(.unknownMethod(method))
        }
    }

    /// Orders, algo orders and account queries (SIGNED), or `nil` for any other method.
    /// `orderAccount` is set to the API key when the method counts on that account's ORDERS limits.
    private func answerTradingMethod(
        _ method: String, _ params: JSONParams, session: ExchangeSession, now: Int64,
        state: inout State, orderAccount: inout String?
    ) -> Result<String, ExchangeError>? {
        guard let weight = Self.tradingWeights[method] else { return nil }
        let apiKey: String
        switch authenticator.authenticate(params, security: .signed, session: session, now: now) {
        case .failure(let error): return .failure(error)
        case .success(let key): apiKey = key ?? ""
        }
        if case .failure(let error) = state.limiter.charge(weight, now: now) { return .failure(error) }
        state.trading.openAccount(apiKey, now: now)
        if Self.orderCountedMethods.contains(method) {
            orderAccount = apiKey
            if case .failure(let error) = state.orderLimiter.charge(apiKey, now: now) { return .failure(error) }
        }
        let values = Dictionary(params.ordered.map { ($0.key, $0.raw) }, uniquingKeysWith: { first, _ in first })
        let books = state.books
        if let answer = state.algos.call(
            method, apiKey: apiKey, params: values, now: now, trading: state.trading, books: books)
        {
            return answer
        }
        return state.trading.call(method, apiKey: apiKey, params: values, now: now, books: books)
    }

    /// The methods that count on the account's ORDERS limits (reference §5: placements and modifications).
    static let orderCountedMethods: Set<String> = ["order.place", "order.modify", "algoOrder.place"]

    /// IP weight of the trading and account methods (order placements count on ORDERS instead).
    private static let tradingWeights: [String: Int] = [
        "order.place": 0, "order.modify": 0, "order.cancel": 1, "order.status": 1, "algoOrder.place": 0,
        "algoOrder.cancel": 1,
        "account.position": 5, "v2/account.position": 5, "account.balance": 5, "v2/account.balance": 5,
        "account.status": 5, "v2/account.status": 5,
    ]

    /// `session.*` and `userDataStream.*`, or `nil` for any other method.
    private func answerSessionMethod(
        _ method: String, _ params: JSONParams, session: ExchangeSession, now: Int64,
        state: inout State
    ) -> Result<String, ExchangeError>? {
        let weight =
            switch method {
            case "session.logon", "session.status", "session.logout": 2
            case "userDataStream.start", "userDataStream.ping", "userDataStream.stop": 1
            default: 0
            }
        guard weight > 0 else { return nil }
        if case .failure(let error) = state.limiter.charge(weight, now: now) { return .failure(error) }
        switch method {
        case "session.logon": return session.logon(params, authenticator: authenticator, now: now)
        case "session.status": return .success(session.status(now: now))
        case "session.logout": return .success(session.logout(now: now))
        default: break
        }
        switch authenticator.authenticate(params, security: .userStream, session: session, now: now) {
        case .failure(let error): return .failure(error)
        case .success(let apiKey):
            let owner = apiKey ?? ""
            switch method {
            case "userDataStream.start": return .success(state.startListenKey(owner, now: now))
            case "userDataStream.ping": return state.keepListenKeyAlive(owner, now: now)
            default: return .success(state.stopListenKey(owner))
            }
        }
    }

    /// `.some(value)` for an integer (or all-digit string), `.some(nil)` for anything else, `nil` when absent.
    private static func integer(_ params: JSONParams, _ key: String) -> Int?? {
        guard let text = params[key] else { return nil }
        return .some(Int(text))
    }

    private static func envelope(id: String, status: Int, body: String, limits: String?) -> [UInt8] {
        var text = #"{"id":\#(id),"status":\#(status),\#(body)"#
        if let limits { text += #","rateLimits":\#(limits)"# }
        return Array((text + "}").utf8)
    }

    public static let wallClockMillis: @Sendable () -> Int64 = { WallClock.milliseconds }
}

extension SimulatedExchange {
    /// How many orders the account of `apiKey` holds under each client order id, open or not:
    /// what a soak run checks against the answers the gateway gave.
    public func orderCountsByClientOrderId(apiKey: String) -> [String: Int] {
        state.withLock { state in
            var counts: [String: Int] = [:]
            for order in state.trading.accounts[apiKey]?.orders.values.map({ $0 }) ?? [] {
                counts[order.clientOrderId, default: 0] += 1
            }
            return counts
        }
    }
}
