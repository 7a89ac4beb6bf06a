import HTTP1
import HTTPServer
import TestSupport
import Testing

/// Routing over a real socket: a plain GET, HEAD without a body, 404 and 405 as JSON.
@Suite("Routing over the wire")
struct RoutingTests {
    private static func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#, headers: ["X-Served-By": "test"]) }
        router.add(.POST, "/orders") { _ in .json(.ok, "{}") }
        return router
    }

    @Test func getAnswers200WithBodyAndLength() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("GET", "/healthz"))
        let response = try client.readResponse()
        #expect(response.version == "HTTP/1.1")
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.body == #"{"status":"ok"}"#)
        #expect(response.values(for: "Content-Length") == ["15"])
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("X-Served-By") == "test")
        #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        #expect(response.header("Connection") == nil)
    }

    @Test func headHasLengthButNoBody() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("HEAD", "/healthz"))
        let head = try client.readResponse(bodyless: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "15")
        #expect(head.header("Content-Type") == "application/json")
        #expect(!client.isReadable(within: .milliseconds(200)), "HEAD response carried body bytes")
        // The same connection stays in step: the next response is the GET's, body and all.
        try client.send(request("GET", "/healthz"))
        let get = try client.readResponse()
        #expect(get.status == 200)
        #expect(get.body == #"{"status":"ok"}"#)
    }

    @Test func unknownPathIs404JSON() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("GET", "/nope?x=1"))
        let response = try client.readResponse()
        #expect(response.status == 404)
        #expect(response.reason == "Not Found")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.body == #"{"code":404,"msg":"no route for /nope"}"#)
        #expect(response.header("Content-Length") == String(response.bytes.count))
        #expect(!response.closesConnection)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("POST", "/healthz", body: "x=1"))
        let post = try client.readResponse()
        #expect(post.status == 405)
        #expect(post.reason == "Method Not Allowed")
        #expect(post.header("Allow") == "GET, HEAD")
        #expect(post.header("Content-Type") == "application/json")
        #expect(post.body == #"{"code":405,"msg":"method not allowed; use GET, HEAD"}"#)

        try client.send(request("DELETE", "/orders"))
        let delete = try client.readResponse()
        #expect(delete.status == 405)
        #expect(delete.header("Allow") == "POST")
        #expect(delete.body == #"{"code":405,"msg":"method not allowed; use POST"}"#)
    }
}
