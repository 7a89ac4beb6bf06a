import Dispatch
import HTTP1
import HTTPServer
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Connection hand-over after a 101: raw bytes both ways, in order, no HTTP deadlines.
@Suite("Upgrade")
struct UpgradeTests {
    /// What the taker saw, shared with the test thread.
    final class Taker: Sendable {
        private let state = Mutex<(received: [UInt8], closes: Int, taken: Int)>(([], 0, 0))

        var received: [UInt8] { state.withLock { $0.received } }
        var closes: Int { state.withLock { $0.closes } }
        var taken: Int { state.withLock { $0.taken } }

        /// Echoes every chunk; `close` in a chunk closes from the server side after echoing.
        func take(_ upgraded: UpgradedConnection) {
            state.withLock { $0.taken += 1 }
            upgraded.start(
                onBytes: { [self] bytes in
                    let chunk = Array(bytes)
                    state.withLock { $0.received += chunk }
                    upgraded.write(chunk)
                    if String(decoding: chunk, as: UTF8.self).contains("close") { upgraded.close(afterFlushing: true) }
                },
                onClose: { [self] in
                    state.withLock { $0.closes += 1 }
                })
        }
    }

    private static let switching = HTTPResponse(
        status: HTTPStatus(code: 101, reason: "Switching Protocols"),
        headers: ["Upgrade": "echo", "Connection": "Upgrade"])

    private static func router(_ taker: Taker, delay: DispatchTimeInterval? = nil) -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/slow") { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) {
                responder.respond(.json(.ok, #"{"slow":true}"#))
            }
        }
        router.add(.GET, "/echo") { _, responder in
            let answer: @Sendable () -> Void = { responder.upgrade(Self.switching) { taker.take($0) } }
            if let delay {
                DispatchQueue.global().asyncAfter(deadline: .now() + delay) { answer() }
            } else {
                answer()
            }
        }
        return router
    }

    private static let upgradeRequest = request("GET", "/echo", headers: ["Connection: Upgrade", "Upgrade: echo"])

    @Test(arguments: [false, true])
    func bytesSentWithTheRequestReachTheTaker(answerLater: Bool) throws {
        let taker = Taker()
        let server = try TestServer(router: Self.router(taker, delay: answerLater ? .milliseconds(100) : nil))
        defer { server.stop() }
        let client = try server.connect()
        try client.send(Self.upgradeRequest + "hello")
        let response = try client.readResponse()
        #expect(response.status == 101)
        #expect(response.header("Connection") == "Upgrade")
        #expect(response.header("Upgrade") == "echo")
        #expect(response.header("Content-Length") == nil)
        #expect(eventually { taker.received == Array("hello".utf8) })
        try client.send(" world close")
        let echoed = try client.readUntilClose()
        #expect(String(decoding: echoed, as: UTF8.self) == "hello world close")
        #expect(eventually { taker.closes == 1 })
        #expect(eventually { server.connectionCount == 0 })
    }

    @Test func pipelinedRequestBeforeTheUpgradeIsAnsweredFirst() throws {
        let taker = Taker()
        let server = try TestServer(router: Self.router(taker))
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("GET", "/slow") + Self.upgradeRequest + "early")
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.body == #"{"slow":true}"#)
        #expect(try client.readResponse().status == 101)
        try client.send("close")
        #expect(String(decoding: try client.readUntilClose(), as: UTF8.self) == "earlyclose")
    }

    @Test func upgradeRequestAnsweredWithoutUpgradeKeepsHTTP() throws {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/refuse") { _ in .json(.badRequest, #"{"code":400,"msg":"no"}"#) }
        let server = try TestServer(router: router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send(
            request("GET", "/refuse", headers: ["Connection: Upgrade", "Upgrade: echo"])
                + request("GET", "/healthz"))
        #expect(try client.readResponse().status == 400)
        #expect(try client.readResponse().status == 200)
    }

    @Test func upgradedConnectionOutlivesTheIdleAndReadTimeouts() throws {
        let taker = Taker()
        let server = try TestServer(router: Self.router(taker)) {
            $0.idleTimeout = .milliseconds(300)
            $0.requestReadTimeout = .milliseconds(300)
        }
        defer { server.stop() }
        let client = try server.connect()
        try client.send(Self.upgradeRequest)
        #expect(try client.readResponse().status == 101)
        #expect(!client.isReadable(within: .milliseconds(1200)), "closed or wrote after the idle timeout")
        #expect(server.connectionCount == 1)
        try client.send("still here close")
        #expect(String(decoding: try client.readUntilClose(), as: UTF8.self) == "still here close")
    }

    @Test func clientCloseCallsOnCloseOnce() throws {
        let taker = Taker()
        let server = try TestServer(router: Self.router(taker))
        defer { server.stop() }
        let client = try server.connect()
        try client.send(Self.upgradeRequest)
        #expect(try client.readResponse().status == 101)
        #expect(eventually { taker.taken == 1 })
        client.close()
        #expect(eventually { taker.closes == 1 })
        #expect(eventually { server.connectionCount == 0 })
        usleep(100_000)
        #expect(taker.closes == 1)
    }

    @Test func shutdownClosesUpgradedConnections() throws {
        let taker = Taker()
        let server = try TestServer(router: Self.router(taker))
        let client = try server.connect()
        try client.send(Self.upgradeRequest)
        #expect(try client.readResponse().status == 101)
        #expect(eventually { taker.taken == 1 })
        let start = ContinuousClock.now
        #expect(server.stop())
        #expect(ContinuousClock.now - start < .seconds(1), "closed at once, not after the shutdown timeout")
        #expect(try client.readUntilClose().isEmpty)
        #expect(taker.closes == 1)
    }

    /// How many flooding takers were closed, and the most the server held meanwhile.
    final class FloodLog: Sendable {
        private let state = Mutex<(closes: Int, peak: Int)>((0, 0))
        var closes: Int { state.withLock { $0.closes } }
        var peak: Int { state.withLock { $0.peak } }
        func closed() { state.withLock { $0.closes += 1 } }
        func held(_ bytes: Int) { state.withLock { $0.peak = max($0.peak, bytes) } }
    }

    @Test func takersWhoseClientsNeverReadAreClosedOnceTheMemoryBudgetIsSpent() throws {
        let budget = 256 * 1024
        let log = FloodLog()
        let server = Mutex<HTTPServer?>(nil)
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/flood") { _, responder in
            responder.upgrade(Self.switching) { upgraded in
                upgraded.start(onBytes: { _ in }, onClose: { log.closed() })
                // 16 MiB to a client that reads nothing: far past what loopback buffers take.
                let chunk = [UInt8](repeating: 0x61, count: 256 * 1024)
                for _ in 0..<64 {
                    upgraded.write(chunk)
                    if let held = server.withLock({ $0?.bufferedBytes }) { log.held(held) }
                }
            }
        }
        let test = try TestServer(router: router) { $0.memoryBudget = budget }
        defer { test.stop() }
        server.withLock { $0 = test.server }
        let flooders = try (0..<4).map { _ in try test.connect() }
        for client in flooders {
            try client.send(request("GET", "/flood", headers: ["Connection: Upgrade", "Upgrade: flood"]))
        }
        #expect(eventually { log.closes == flooders.count })
        // The budget, its reserve, and one write per connection at the most.
        #expect(log.peak <= budget + budget / 2 + flooders.count * 256 * 1024)
        #expect(eventually { test.server.bufferedBytes == 0 })
        let client = try test.connect()
        try client.send(request("GET", "/healthz"))
        #expect(try client.readResponse().status == 200)
    }
}
