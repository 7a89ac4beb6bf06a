import Dispatch
import Foundation
import Logging
import RequestWindow
import Synchronization
import TestSupport
import Testing
import Upstream
import WebSocket
import WebSocketServer

/// Our WebSocket server against two clients: our own (`WebSocketConnector` +
/// `UpstreamMultiplexer`, as the gateway uses it) and the Python `websockets` package.
@Suite(.serialized) struct WebSocketServerTests {
    /// 100 requests through the gateway's real client, each matched to its answer by id.
    @Test func roundTripWithOurClient() throws {
        let server = try EchoServer()
        defer { server.stop() }
        var logger = Logger(label: "websocket-server-tests")
        logger.logLevel = .warning
        let connector = try WebSocketConnector(url: server.url, connectTimeout: .seconds(3), logger: logger)
        let multiplexer = UpstreamMultiplexer(
            configuration: UpstreamConfiguration(requestTimeout: .seconds(5)), connector: connector, logger: logger)
        multiplexer.start()
        defer {
            let done = DispatchSemaphore(value: 0)
            multiplexer.shutdown { done.signal() }
            _ = done.wait(timeout: .now() + 5)
        }

        let outcomes = Mutex<[Int: Result<UpstreamReply, UpstreamFailure>]>([:])
        for index in 0..<100 {
            let request = UpstreamRequest(method: "echo", effect: .readOnly) { id in
                Array(#"{"id":\#(id),"method":"echo","params":{"n":\#(index)}}"#.utf8)
            }
            multiplexer.submit(request) { result in outcomes.withLock { $0[index] = result } }
        }
        #expect(eventually(.seconds(10)) { outcomes.withLock { $0.count } == 100 })
        for index in 0..<100 {
            guard case .success(let reply)? = outcomes.withLock({ $0[index] }) else {
                Issue.record("request \(index): \(String(describing: outcomes.withLock { $0[index] }))")
                continue
            }
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self) == #"{"n":\#(index)}"#)
        }
        #expect(server.connections.count == 1)
    }

    @Test func roundTripWithPythonClient() throws {
        let server = try EchoServer()
        defer { server.stop() }
        #expect(try PythonClient.run("echo", port: server.port, ["50"]) == "ok 50")
        #expect(eventually { server.closedCount == 1 }, "the client's close ended the connection")
    }

    @Test func serverPingsAreAnswered() throws {
        let server = try EchoServer(
            settings: WebSocketServerSettings(pingInterval: .milliseconds(200), pongTimeout: .seconds(2)))
        defer { server.stop() }
        #expect(try PythonClient.run("idle", port: server.port, ["1.5"]) == "ok")
        let connection = try #require(server.connections.first)
        let pongs = server.read(connection) { $0.pongsReceived }
        #expect(pongs >= 4, "\(pongs) pongs")
    }

    @Test func unmaskedClientFrameGetsClose1002() throws {
        let server = try EchoServer()
        defer { server.stop() }
        #expect(try PythonClient.run("unmasked", port: server.port) == "closed 1002")
        #expect(eventually { server.closedCount == 1 })
    }

    @Test func maxAgeClosesWith1001() throws {
        let server = try EchoServer(settings: WebSocketServerSettings(maxAge: .milliseconds(500)))
        defer { server.stop() }
        let start = ContinuousClock.now
        #expect(try PythonClient.run("await-close", port: server.port) == "closed 1001")
        #expect(ContinuousClock.now - start >= .milliseconds(450))
        let connection = try #require(server.connections.first)
        #expect(server.read(connection) { $0.closeCode } == .goingAway)
    }

    @Test func handshakeWithoutKeyGets400() throws {
        let server = try EchoServer()
        defer { server.stop() }
        let answer = try PythonClient.run("nokey", port: server.port)
        #expect(
            answer.hasPrefix(#"400 {"code":400,"msg":"not a valid WebSocket upgrade: Sec-WebSocket-Key"#), "\(answer)")
        #expect(server.connections.isEmpty)
    }

    @Test func wrongVersionGets426WithVersion13() throws {
        let server = try EchoServer()
        defer { server.stop() }
        #expect(try PythonClient.run("badversion", port: server.port) == "426 13")
    }

    /// A client that never answers is dropped after `pongTimeout`, having been pinged meanwhile.
    @Test func silentClientIsDroppedAfterThePongTimeout() throws {
        let server = try EchoServer(
            settings: WebSocketServerSettings(
                pingInterval: .milliseconds(100),
                pongTimeout: .milliseconds(500)))
        defer { server.stop() }
        let start = ContinuousClock.now
        let answer = try PythonClient.run("silent", port: server.port)
        let elapsed = ContinuousClock.now - start
        let pings = Int(answer.split(separator: " ").last ?? "") ?? 0
        #expect(answer.hasPrefix("eof "), "\(answer)")
        #expect(pings >= 3, "\(pings) pings")
        #expect(elapsed >= .milliseconds(550) && elapsed < .seconds(3), "dropped after \(elapsed)")
        #expect(eventually { server.closedCount == 1 })
    }
}
