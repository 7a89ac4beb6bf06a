import HTTP1
import HTTPServer
import Upstream

/// The gateway's HTTP surface, assembled in one place so that the OpenAPI agreement test
/// and the server see exactly the same routes.
public enum GatewayRoutes {
    public static func makeRouter(upstream: UpstreamMultiplexer) -> HTTPRouter {
        var router = HTTPRouter()
        addOperationalRoutes(to: &router)
        UpstreamRoutes(multiplexer: upstream).add(to: &router)
        return router
    }

    /// Liveness: answers as long as the process serves HTTP.
    static func addOperationalRoutes(to router: inout HTTPRouter) {
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
    }
}
