import HTTP1
import HTTPServer

/// The gateway's HTTP surface, assembled in one place so that the OpenAPI agreement test
/// and the server see exactly the same routes.
public enum GatewayRoutes {
    public static func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        addOperationalRoutes(to: &router)
        return router
    }

    /// Liveness: answers as long as the process serves HTTP.
    static func addOperationalRoutes(to router: inout HTTPRouter) {
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
    }
}
