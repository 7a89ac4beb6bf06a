import HTTP1
import HTTPServer
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The request read deadline (slowloris gets 408) and the idle keep-alive deadline (silent close).
@Suite("Timeouts")
struct TimeoutTests {
    private static func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        return router
    }

    private static let clock = ContinuousClock()

    @Test func slowlorisGets408ThenClose() throws {
        let server = try TestServer(router: Self.router()) {
            $0.requestReadTimeout = .seconds(1)
            $0.idleTimeout = .seconds(10)
        }
        defer { server.stop() }
        let client = try server.connect()
        let head = Array(request("GET", "/healthz").utf8)
        let start = Self.clock.now
        var sent = 0
        repeat {
            try client.send([head[sent]])
            sent += 1
        } while sent < head.count && !client.isReadable(within: .milliseconds(300))
        try #require(sent < head.count, "the whole head went out a byte at a time without a 408")

        let response = try client.readResponse()
        let answeredAfter = Self.clock.now - start
        #expect(response.status == 408)
        #expect(response.reason == "Request Timeout")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.body == #"{"code":408,"msg":"request not received in time"}"#)
        #expect(response.closesConnection)
        #expect(answeredAfter >= .milliseconds(900) && answeredAfter < .seconds(3), "answered after \(answeredAfter)")
        #expect(sent >= 3 && sent <= 8, "\(sent) bytes sent before the 408")

        let rest = try client.readUntilClose()
        #expect(rest.isEmpty)
        #expect(Self.clock.now - start < .seconds(4))
    }

    @Test func requestSentInPiecesWithinTheDeadlineIsServed() throws {
        let server = try TestServer(router: Self.router()) { $0.requestReadTimeout = .seconds(1) }
        defer { server.stop() }
        let client = try server.connect()
        for piece in ["GET /heal", "thz HTTP/1.1\r\nHo", "st: test\r\n\r\n"] {
            try client.send(piece)
            usleep(200_000)
        }
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == #"{"status":"ok"}"#)
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() throws {
        let server = try TestServer(router: Self.router()) { $0.idleTimeout = .seconds(1) }
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("GET", "/healthz"))
        #expect(try client.readResponse().status == 200)
        let start = Self.clock.now
        let rest = try client.readUntilClose()
        let closedAfter = Self.clock.now - start
        #expect(rest.isEmpty, "expected a silent close, got \(String(decoding: rest, as: UTF8.self))")
        #expect(closedAfter >= .milliseconds(800) && closedAfter < .seconds(3), "closed after \(closedAfter)")
        #expect(eventually { server.connectionCount == 0 })
    }

    @Test func connectionWithoutAnyRequestIsClosedAfterIdleTimeout() throws {
        let server = try TestServer(router: Self.router()) { $0.idleTimeout = .seconds(1) }
        defer { server.stop() }
        let client = try server.connect()
        let start = Self.clock.now
        #expect(try client.readUntilClose().isEmpty)
        let closedAfter = Self.clock.now - start
        #expect(closedAfter >= .milliseconds(800) && closedAfter < .seconds(3), "closed after \(closedAfter)")
    }
}
