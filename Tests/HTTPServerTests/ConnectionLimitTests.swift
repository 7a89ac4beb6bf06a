import HTTP1
import HTTPServer
import TestSupport
import Testing

/// Past `maxConnections` a new connection gets 503 and is closed; a freed slot serves again.
@Suite("Connection limit")
struct ConnectionLimitTests {
    @Test func connectionOverTheCapGets503() throws {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        let server = try TestServer(router: router) { $0.maxConnections = 2 }
        defer { server.stop() }

        let first = try server.connect()
        let second = try server.connect()
        for client in [first, second] {
            try client.send(request("GET", "/healthz"))
            #expect(try client.readResponse().status == 200)
        }
        #expect(server.connectionCount == 2)

        let third = try server.connect()
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.reason == "Service Unavailable")
        #expect(refused.header("Content-Type") == "application/json")
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.body == #"{"code":503,"msg":"too many open connections; try again later"}"#)
        #expect(refused.closesConnection)
        #expect(try third.readUntilClose().isEmpty)
        #expect(server.connectionCount == 2)

        // The held connections are unaffected.
        try second.send(request("GET", "/healthz"))
        #expect(try second.readResponse().status == 200)

        first.close()
        #expect(eventually { server.connectionCount == 1 })
        let fourth = try server.connect()
        try fourth.send(request("GET", "/healthz"))
        let served = try fourth.readResponse()
        #expect(served.status == 200)
        #expect(served.body == #"{"status":"ok"}"#)
    }
}
