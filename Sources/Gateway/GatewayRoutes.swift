import HTTP1
import HTTPServer
import Upstream

/// The gateway's HTTP surface, assembled in one place so that the OpenAPI agreement test
/// and the server see exactly the same routes.
public enum GatewayRoutes {
    public static func makeRouter(upstreams: GatewayUpstreams) -> HTTPRouter {
        var router = HTTPRouter()
        addOperationalRoutes(to: &router)
        UpstreamRoutes(upstreams: upstreams).add(to: &router)
        let clockSync = ClockSync(rest: upstreams.rest, clock: upstreams.clock, logger: upstreams.logger)
        CallRoutes(executor: CallExecutor(upstreams: upstreams, clockSync: clockSync)).add(to: &router)
        return router
    }

    /// Liveness: answers as long as the process serves HTTP.
    static func addOperationalRoutes(to router: inout HTTPRouter) {
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
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
