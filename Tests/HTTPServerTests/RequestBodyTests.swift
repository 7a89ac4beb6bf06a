import Dispatch
import HTTP1
import HTTPServer
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Request bodies over the wire: `Expect: 100-continue` and chunked transfer coding.
@Suite("Request bodies")
struct RequestBodyTests {
    private static func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.POST, "/echo") { request in
            HTTPResponse(headers: ["X-Body-Length": String(request.body.count)], body: request.body)
        }
        router.add(.GET, "/slow") { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) {
                responder.respond(HTTPResponse(body: Array("slow".utf8)))
            }
        }
        return router
    }

    @Test func expectContinueGets100ThenTheFinalResponse() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("POST", "/echo", headers: ["Expect: 100-continue", "Content-Length: 11"]))
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        #expect(interim.reason == "Continue")
        #expect(interim.headers.isEmpty)
        #expect(!client.isReadable(within: .milliseconds(100)), "final response before the body was sent")

        try client.send("hello world")
        let final = try client.readResponse()
        #expect(final.status == 200)
        #expect(final.body == "hello world")
        #expect(final.header("X-Body-Length") == "11")
        #expect(!final.closesConnection)
    }

    @Test func expectContinueWaitsForEarlierPipelinedResponse() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(
            request("GET", "/slow")
                + request("POST", "/echo", headers: ["Expect: 100-continue", "Content-Length: 3"]))
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.body == "slow")
        let interim = try client.readResponse()
        #expect(interim.status == 100)
        try client.send("abc")
        let final = try client.readResponse()
        #expect(final.status == 200)
        #expect(final.body == "abc")
    }

    @Test func chunkedBodyArrivesDechunked() throws {
        let server = try TestServer(router: Self.router())
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"]))
        for piece in [
            "5\r\nhello\r\n", "1;note=space\r\n \r\n", "A\r\n", "0123456789", "\r\n", "0\r\nX-Trailer: t\r\n\r\n",
        ] {
            try client.send(piece)
            usleep(20_000)
        }
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == "hello 0123456789")
        #expect(response.header("X-Body-Length") == "16")
        #expect(response.header("Transfer-Encoding") == nil)

        // Still in step for a second chunked request sent in one write.
        try client.send(request("POST", "/echo", headers: ["Transfer-Encoding: chunked"]) + "3\r\nabc\r\n0\r\n\r\n")
        let second = try client.readResponse()
        #expect(second.body == "abc")
    }
}
