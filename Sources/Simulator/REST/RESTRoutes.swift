import HTTP1
import HTTPServer
import Synchronization

/// The simulator's REST API on an `HTTPRouter`: every `RESTCatalog` row, served the same way —
/// time settled (funding, countdowns), params parsed, weight charged, credentials checked, ORDERS
/// counted for order entry, answer computed under the exchange's lock.
///
/// Every answer, error or not, carries `X-MBX-USED-WEIGHT-1M` (the limiter's count this minute).
/// Errors are `{"code","msg"}` with the error's HTTP status. Weight is charged before the
/// credentials are checked (Binance counts rejected requests too). Any other path or method
/// under `/fapi/` answers 404 with -5000 (`ExchangeError.invalidPath`).
public final class RESTRoutes: Sendable {
    public static let prefix = "/fapi/"

    private let exchange: SimulatedExchange
    /// Fault injection: `pageFor` answers a path with an HTML page.
    private let faults: SimulatorFaultSwitch?
    private let authenticator: RESTAuthenticator
    private let seed: UInt64
    private let weightLimit: Int

    public init(exchange: SimulatedExchange, faults: SimulatorFaultSwitch? = nil) {
        self.exchange = exchange
        self.faults = faults
        authenticator = RESTAuthenticator(keys: exchange.authenticator.keys)
        (seed, weightLimit) = exchange.state.withLock { ($0.market.seed, $0.limiter.limit) }
    }

    /// Registers the catalog's routes, and the -5000 answer for other methods and paths.
    public func add(to router: inout HTTPRouter) {
        let service = self  // the router keeps the service alive
        var byPath: [String: [RESTEndpoint]] = [:]
        for endpoint in RESTCatalog.endpoints { byPath[endpoint.path, default: []].append(endpoint) }
        for (path, endpoints) in byPath {
            for method in HTTPMethod.allCases {
                if let endpoint = endpoints.first(where: { $0.method == method }) {
                    router.add(method, path) { request in service.respond(to: request, endpoint) }
                } else if method != .HEAD {
                    router.add(method, path) { request in service.invalidPath(request) }
                }
            }
        }
        for method in HTTPMethod.allCases {
            router.add(method, prefix: Self.prefix) { request, responder in
                responder.respond(service.invalidPath(request))
            }
        }
    }

    func respond(to request: HTTPRequest, _ endpoint: RESTEndpoint) -> HTTPResponse {
        guard let page = faults?.current.pageFor[endpoint.path] else { return answer(request, endpoint) }
        if page.executes { _ = answer(request, endpoint) }
        return HTTPResponse(
            status: HTTPStatus(code: page.status), headers: ["Content-Type": "text/html"],
            body: Array(page.body.utf8))
    }

    private func answer(_ request: HTTPRequest, _ endpoint: RESTEndpoint) -> HTTPResponse {
        let now = exchange.clock()
        let apiKey = request.headers["X-MBX-APIKEY"]
        let query: RESTQuery
        do { query = try RESTQuery(query: request.query, body: request.body) } catch {
            return response(.failure(error), used: usedWeight(now: now))
        }
        let params = TradingParams(query.values)
        let (result, used, orderCounts): (Result<String, ExchangeError>, Int, [(String, String)]) =
            exchange.withWatchedState(now: now) { state in
                state.advance(to: now)
                let used: Int
                switch state.limiter.charge(endpoint.weight(params), now: now) {
                case .success(let count): used = count
                case .failure(let error): return (.failure(error), Self.used(&state.limiter, now: now), [])
                }
                switch authenticator.authenticate(query, apiKeyHeader: apiKey, security: endpoint.security, now: now) {
                case .failure(let error): return (.failure(error), used, [])
                case .success(let key):
                    let keyed = RESTContext(
                        params: params, apiKey: key ?? "", now: now, seed: seed, weightLimit: weightLimit)
                    if endpoint.security == .signed { state.trading.openAccount(keyed.apiKey, now: now) }
                    var counts: [(String, String)] = []
                    if endpoint.countsOrders {
                        let charged = state.orderLimiter.charge(keyed.apiKey, now: now)
                        counts = state.orderLimiter.headers(keyed.apiKey, now: now)
                        if case .failure(let error) = charged { return (.failure(error), used, counts) }
                    }
                    return (Result { () throws(ExchangeError) in try endpoint.answer(keyed, &state) }, used, counts)
                }
            }
        return response(result, used: used, extra: orderCounts)
    }

    private func invalidPath(_ request: HTTPRequest) -> HTTPResponse {
        response(
            .failure(.invalidPath(request.method.rawValue, String(request.path))),
            used: usedWeight(now: exchange.clock()))
    }

    private func usedWeight(now: Int64) -> Int { exchange.state.withLock { Self.used(&$0.limiter, now: now) } }

    /// The weight counted this minute (the limit while banned).
    private static func used(_ limiter: inout RequestWeightLimiter, now: Int64) -> Int {
        if case .success(let count) = limiter.charge(0, now: now) { return count }
        return limiter.limit
    }

    private func response(
        _ result: Result<String, ExchangeError>, used: Int, extra: [(String, String)] = []
    ) -> HTTPResponse {
        var headers: HTTPHeaders = ["X-MBX-USED-WEIGHT-1M": String(used)]
        for (name, value) in extra { headers.add(name, value) }
        switch result {
        case .success(let body): return .json(.ok, body, headers: headers)
        case .failure(let error): return .json(HTTPStatus(code: error.status), error.json, headers: headers)
        }
    }
}
