import HTTP1
import HTTPServer
import TestSupport
import Testing

/// Requests refused before any handler runs: each gets its status and JSON body, then the
/// connection is closed, and nothing sent after the bad request is ever answered.
@Suite("Request limits and smuggling")
struct RequestLimitTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let payload: String
        let status: Int
        let message: String

        var testDescription: String { name }
    }

    private static let follower = request("GET", "/healthz")

    static let cases: [Case] = [
        Case(
            name: "header block over 16 KiB",
            payload: request("GET", "/healthz", headers: ["X-Big: " + String(repeating: "a", count: 17 * 1024)]),
            status: 431, message: "request header fields too large"),
        Case(
            name: "many small fields over 16 KiB",
            payload: request(
                "GET", "/healthz", headers: (0..<90).map { "X-F\($0): " + String(repeating: "b", count: 200) }),
            status: 431, message: "request header fields too large"),
        Case(
            name: "URI over 8 KiB",
            payload: request("GET", "/healthz?q=" + String(repeating: "u", count: 9 * 1024)),
            status: 414, message: "request-target too long"),
        Case(
            name: "Content-Length over maxBodySize",
            payload: request("POST", "/echo", body: String(repeating: "x", count: 100)),
            status: 413, message: "request body too large"),
        Case(
            name: "chunked body over maxBodySize",
            payload: request("POST", "/echo", headers: ["Transfer-Encoding: chunked"])
                + "20\r\n" + String(repeating: "y", count: 32) + "\r\n0\r\n\r\n",
            status: 413, message: "request body too large"),
        Case(
            name: "Content-Length and Transfer-Encoding",
            payload: "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n",
            status: 400, message: "bad request: both Content-Length and Transfer-Encoding"),
        Case(
            name: "Transfer-Encoding and Content-Length",
            payload: "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n",
            status: 400, message: "bad request: both Content-Length and Transfer-Encoding"),
        Case(
            name: "duplicate Content-Length, different values",
            payload: "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\nhi"
                + "GET /smuggled HTTP/1.1\r\nHost: test\r\n\r\n",
            status: 400, message: "bad request: duplicate Content-Length"),
        Case(
            name: "duplicate Content-Length, same value",
            payload: "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
            status: 400, message: "bad request: duplicate Content-Length"),
        Case(
            name: "Transfer-Encoding other than chunked",
            payload: "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            status: 400, message: "bad request: unsupported transfer coding; only chunked is accepted"),
    ]

    @Test(arguments: cases)
    func refusedAndClosed(_ check: Case) throws {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/smuggled") { _ in .json(.ok, #"{"smuggled":true}"#) }
        router.add(.POST, "/echo") { request in HTTPResponse(body: request.body) }
        let server = try TestServer(router: router) { $0.limits.maxBodySize = 16 }
        defer { server.stop() }
        let client = try server.connect()
        try client.send(check.payload + Self.follower)

        let response = try client.readResponse()
        #expect(response.status == check.status)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.body == #"{"code":\#(check.status),"msg":"\#(check.message)"}"#)
        #expect(response.closesConnection)
        let rest = try client.readUntilClose()
        #expect(rest.isEmpty, "answered after the refusal: \(String(decoding: rest, as: UTF8.self))")
    }

    @Test func bodyWithinTheLimitIsAccepted() throws {
        var router = HTTPRouter()
        router.add(.POST, "/echo") { request in HTTPResponse(body: request.body) }
        let server = try TestServer(router: router) { $0.limits.maxBodySize = 16 }
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("POST", "/echo", body: String(repeating: "z", count: 16)))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == String(repeating: "z", count: 16))
    }
}
