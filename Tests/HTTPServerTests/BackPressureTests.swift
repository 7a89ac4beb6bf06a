import Dispatch
import HTTP1
import TestSupport
import Testing

@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#endif

/// What one hostile client can make the server hold: a client that writes without reading, one
/// that never takes its answers, and many that send bodies, all against the buffers' bounds,
/// while a well-behaved client is still answered.
@Suite("Back-pressure and memory bounds")
struct BackPressureTests {
    /// A 100 KB answer, so unread output grows fast.
    static let big = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)

    private func makeServer(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        var router = HTTPRouter()
        router.add(.GET, "/big") { _ in HTTPResponse(body: Self.big) }
        router.add(.GET, "/small") { _ in .json(.ok, "{}") }
        router.add(.POST, "/upload") { request in .json(.ok, "{\"bytes\":\(request.body.count)}") }
        return try TestServer(router: router, configure: configure)
    }

    /// A well-behaved client gets its answer within `limit`.
    private func expectServed(_ server: TestServer, within limit: Duration = .seconds(1)) throws {
        let client = try server.connect(timeout: limit)
        defer { client.close() }
        let started = ContinuousClock.now
        try client.send(request("GET", "/small"))
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(ContinuousClock.now - started < limit)
    }

    @Test func aClientThatNeverReadsItsAnswersHoldsABoundedAmount() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try server.connect()
        defer { client.close() }
        // 1,000 pipelined requests for 100 KB each: 100 MB of answers nobody reads.
        try client.send(String(repeating: request("GET", "/big"), count: 1000))
        usleep(500_000)
        let held = server.server.bufferedBytes
        // Unsent output stops decoding at 256 KiB; one more answer may be on top, and the input.
        #expect(held <= 256 * 1024 + 2 * Self.big.count + 128 * 1024, "held \(held) bytes")
        try expectServed(server)
    }

    @Test func aClientThatWritesWithoutReadingIsNotReadWithoutBound() throws {
        let server = try makeServer()
        defer { server.stop() }
        let flood = try server.connect()
        defer { flood.close() }
        let chunk = Array(String(repeating: request("GET", "/small"), count: 200).utf8)
        var sent = 0
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            let taken = try flood.sendAvailable(chunk)
            sent += taken
            if taken == 0 { usleep(5_000) }
        }
        let held = server.server.bufferedBytes
        #expect(held <= 512 * 1024, "held \(held) bytes after \(sent) sent")
        try expectServed(server)
    }

    @Test func aClientThatTakesNoBytesIsClosedAfterTheWriteTimeout() throws {
        let server = try makeServer { $0.writeTimeout = .milliseconds(400) }
        defer { server.stop() }
        let client = try server.connect()
        defer { client.close() }
        try client.send(String(repeating: request("GET", "/big"), count: 200))
        #expect(eventually(.seconds(3)) { server.connectionCount == 0 }, "still open: \(server.connectionCount)")
        #expect(server.server.bufferedBytes == 0)
    }

    @Test func theBudgetHoldsAcrossConnectionsAndANewClientIsStillServed() throws {
        let budget = 1024 * 1024
        let server = try makeServer {
            $0.memoryBudget = budget
            $0.limits.maxBodySize = 4 * 1024 * 1024
        }
        defer { server.stop() }
        // 40 clients each promise 4 MB and send as fast as the server reads.
        let clients = try (0..<40).map { _ in try server.connect() }
        defer { clients.forEach { $0.close() } }
        let head = Array("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 4000000\r\n\r\n".utf8)
        for client in clients { _ = try client.sendAvailable(head) }
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
        var peak = 0
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            for client in clients { _ = try client.sendAvailable(chunk) }
            peak = max(peak, server.server.bufferedBytes)
            usleep(2_000)
        }
        // The budget, plus at most one read per loop that crossed it, plus a reserve piece per client.
        #expect(peak <= budget + 2 * 64 * 1024 + clients.count * 4096, "peak \(peak) bytes")
        #expect(peak >= budget / 2, "the clients never filled the budget: peak \(peak)")
        try expectServed(server)
    }
}

@Suite("LogThrottle")
struct LogThrottleTests {
    @Test func theFirstIsLoggedAndTheRestAreCountedOncePerInterval() {
        var throttle = LogThrottle(interval: .seconds(10))
        let second: UInt64 = 1_000_000_000
        #expect(throttle.record(at: 0) == .log)
        for tenth in 1...50 { #expect(throttle.record(at: UInt64(tenth) * second / 10) == .suppressed) }
        #expect(throttle.summary(at: 5 * second) == 0)  // the window is not over yet
        #expect(throttle.summary(at: 10 * second) == 50)
        #expect(throttle.record(at: 11 * second) == .suppressed)  // a new window opened with the summary
        #expect(throttle.summary(at: 20 * second) == 1)
        #expect(throttle.summary(at: 30 * second) == 0)  // a quiet window closes
        #expect(throttle.record(at: 31 * second) == .log)
    }
}
