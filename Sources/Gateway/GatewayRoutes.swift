import HTTP1
import HTTPServer
import Journal
import OrderBook
import Streams
import Upstream

/// The gateway's HTTP surface, assembled in one place so that the OpenAPI agreement test
/// and the server see exactly the same routes.
public enum GatewayRoutes {
    /// - Parameters:
    ///   - recovery: the journal, read at start; without it nothing is recorded and idempotency
    ///     keys live in memory only.
    ///   - paperAccount: in simulation, the paper account's JSON for the status page.
    ///   - streams: the local stream endpoints and their hub; without it there are none.
    ///   - books: the local order books behind `GET /v1/book`; without them the route is absent.
    public static func makeRouter(
        upstreams: GatewayUpstreams, recovery: JournalRecovery? = nil,
        paperAccount: (@Sendable () -> String)? = nil, streams: StreamRoutes? = nil, books: OrderBooks? = nil
    ) -> HTTPRouter {
        var router = HTTPRouter()
        addOperationalRoutes(to: &router)
        addMetricsRoute(to: &router, upstreams: upstreams, streams: streams?.hub, books: books)
        streams?.add(to: &router)
        if let books { BookRoutes(books: books).add(to: &router) }
        StatusPage.add(to: &router)
        StatusSampler.add(to: &router, upstreams: upstreams, paperAccount: paperAccount)
        DocsPage.add(to: &router)
        let clockSync = ClockSync(rest: upstreams.rest, clock: upstreams.clock, logger: upstreams.logger)
        let executor = CallExecutor(upstreams: upstreams, clockSync: clockSync, journal: recovery?.journal)
        let idempotency = IdempotencyStore()
        UpstreamRoutes(executor: executor, recovery: recovery).add(to: &router)
        CallRoutes(executor: executor, idempotency: idempotency).add(to: &router)
        if let recovery {
            JournalRoutes(journal: recovery.journal).add(to: &router)
            recovery.start(idempotency: idempotency, executor: executor)
        }
        return router
    }

    /// Liveness (answers as long as the process serves HTTP) and the OpenAPI contract.
    static func addOperationalRoutes(to router: inout HTTPRouter) {
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/openapi.yaml") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: contractYAML)
        }
        router.add(.GET, "/openapi.json") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: contractJSON)
        }
    }

    /// The embedded contract's bytes, made once.
    private static let contractYAML = Array(OpenAPIContract.yaml.utf8)[...]
    private static let contractJSON = Array(OpenAPIContract.json.utf8)[...]

    /// `GET /metrics`: Prometheus text, read when scraped from the counters and the upstreams' status.
    static func addMetricsRoute(
        to router: inout HTTPRouter, upstreams: GatewayUpstreams, streams: StreamHub? = nil, books: OrderBooks? = nil
    ) {
        router.add(.GET, "/metrics") { _, responder in
            let snapshot = upstreams.metrics.snapshot
            let rateLimits = upstreams.limits.snapshot()
            let streamCounters = streams?.counters
            upstreams.webSocket.status { webSocket in
                // Read on the upstream loop, which the REST client shares: no event loop waits for another.
                let rest = upstreams.rest.status
                let text =
                    MetricsExposition(
                        metrics: snapshot, webSocket: webSocket, rest: rest, rateLimits: rateLimits,
                        streams: streamCounters
                    ).text + (books?.metricsText ?? "")
                responder.respond(
                    HTTPResponse(
                        status: .ok, headers: ["Content-Type": MetricsExposition.contentType],
                        body: Array(text.utf8)))
            }
        }
    }
}

extension GatewayUpstreams {
    /// Starts the upstream connections, the clock synchronization (every `clockSyncInterval`)
    /// and reads the upstream's rate limits.
    public func start(clockSyncInterval: Duration = .seconds(300)) {
        webSocket.start()
        rest.start()
        ClockSync(rest: rest, clock: clock, logger: logger).start(every: clockSyncInterval)
        ExchangeInfoLimits.fetch(rest: rest, limits: limits, logger: logger)
    }

    /// Stops taking requests upstream; `completion` runs once both connections are closed.
    public func shutdown(completion: @escaping @Sendable () -> Void) {
        let rest = rest
        webSocket.shutdown { rest.shutdown(completion: completion) }
    }
}
