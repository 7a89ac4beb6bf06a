import HTTP1
import HTTPServer
import TestSupport
import Testing

/// A thousand clients at once, each kept alive for a second request.
@Suite("Many connections")
struct ManyConnectionsTests {
    @Test(.timeLimit(.minutes(1)))
    func thousandConcurrentKeepAliveConnections() throws {
        let count = 1_000
        #expect(HTTPServer.raiseOpenFileLimit() >= 2 * count + 100)
        var router = HTTPRouter()
        router.add(.GET, prefix: "/c/") { request, responder in
            responder.respond(HTTPResponse(body: Array(request.path.dropFirst(3).utf8)))
        }
        let server = try TestServer(router: router)
        defer { server.stop() }

        let clients = try (0..<count).map { _ in try server.connect() }
        defer { clients.forEach { $0.close() } }
        for round in 0..<2 {
            for (index, client) in clients.enumerated() {
                try client.send(request("GET", "/c/\(round)-\(index)"))
            }
            var failures: [String] = []
            for (index, client) in clients.enumerated() {
                let response = try client.readResponse()
                if response.status != 200 || response.body != "\(round)-\(index)" || response.closesConnection {
                    failures.append("round \(round), client \(index): \(response)")
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            #expect(server.connectionCount == count)
        }
    }
}
