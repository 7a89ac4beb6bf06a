import Dispatch
import HTTP1
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// Shutdown stops accepting, lets the request in flight finish with `Connection: close`,
/// and only then calls the completion.
@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    /// When the shutdown completion ran, if it has.
    private final class Completion: Sendable {
        let at = Mutex<ContinuousClock.Instant?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    private static let clock = ContinuousClock()

    @Test func requestInFlightCompletesBeforeShutdownFinishes() throws {
        let received = DispatchSemaphore(value: 0)
        var router = HTTPRouter()
        router.add(.GET, "/slow") { _, responder in
            received.signal()
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(500)) {
                responder.respond(.json(.ok, #"{"slow":true}"#))
            }
        }
        let server = try TestServer(router: router)
        defer { server.stop() }
        let client = try server.connect()
        try client.send(request("GET", "/slow"))
        try #require(received.wait(timeout: .now() + .seconds(3)) == .success)

        let completion = Completion()
        server.server.shutdown {
            completion.at.withLock { $0 = Self.clock.now }
            completion.done.signal()
        }
        let response = try client.readResponse()
        let answeredAt = Self.clock.now
        #expect(response.status == 200)
        #expect(response.body == #"{"slow":true}"#)
        #expect(response.closesConnection)
        #expect(completion.at.withLock { $0 } == nil, "shutdown finished before the response was read")

        #expect(Self.refusesNewConnections(server.address))
        #expect(try client.readUntilClose().isEmpty)
        client.close()
        try #require(completion.done.wait(timeout: .now() + .seconds(3)) == .success)
        let completedAt = try #require(completion.at.withLock { $0 })
        #expect(completedAt >= answeredAt)
        #expect(server.connectionCount == 0)
    }

    @Test func idleConnectionsCloseAtOnce() throws {
        var router = HTTPRouter()
        router.add(.GET, "/healthz") { _ in .json(.ok, #"{"status":"ok"}"#) }
        let server = try TestServer(router: router) { $0.shutdownTimeout = .seconds(5) }
        defer { server.stop() }
        let idle = try server.connect()
        try idle.send(request("GET", "/healthz"))
        #expect(try idle.readResponse().status == 200)

        let start = Self.clock.now
        #expect(server.stop(timeout: .seconds(3)))
        #expect(Self.clock.now - start < .seconds(1), "shutdown waited for an idle connection")
        #expect(try idle.readUntilClose().isEmpty)
        #expect(Self.refusesNewConnections(server.address))
    }

    /// True when a new connection fails, or is closed without an answer.
    private static func refusesNewConnections(_ address: ListenAddress) -> Bool {
        guard let client = try? LoopbackClient(connectingTo: address, timeout: .seconds(2)) else { return true }
        do {
            try client.send(request("GET", "/healthz"))
            return try client.readUntilClose().isEmpty
        } catch {
            if case .reset = error { return true }
            if case .send = error { return true }
            return false
        }
    }
}
