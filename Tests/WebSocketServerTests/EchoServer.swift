import Dispatch
import Foundation
import HTTP1
import HTTPServer
import Logging
import Synchronization
import WebSocketServer

#if canImport(Glibc)
import Glibc
#endif

/// Our HTTP server with a `WebSocketEndpoint` at `/ws-fapi/v1` that answers like ws-fapi:
/// `{"id":N,"method":…,"params":P}` gets `{"id":N,"status":200,"result":P}`, P byte for byte.
final class EchoServer: Sendable {
    let server: HTTPServer
    let port: UInt16
    private let sessions = Sessions()

    /// What the endpoint reported, shared between the connections' queues and the test.
    private final class Sessions: Sendable {
        let state = Mutex<(connections: [WebSocketServerConnection], closed: Int)>(([], 0))
    }

    init(settings: WebSocketServerSettings = WebSocketServerSettings()) throws {
        let logger = Logger(label: "websocket-server-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let box = sessions
        let endpoint = WebSocketEndpoint(
            settings: settings, logger: logger,
            onOpen: { connection in box.state.withLock { $0.connections.append(connection) } },
            onText: { message, connection in connection.send(text: Self.answer(message)) },
            onClose: { _ in box.state.withLock { $0.closed += 1 } })
        var router = HTTPRouter()
        router.add(.GET, "/ws-fapi/v1", endpoint.handle)
        server = HTTPServer(
            configuration: ServerConfiguration(
                address: .tcp(host: "127.0.0.1", port: 0),
                shutdownTimeout: .seconds(2)),
            handler: router, logger: logger)
        guard case .tcp(_, let port) = try server.start() else { fatalError("not a TCP address") }
        self.port = port
    }

    var url: String { "ws://127.0.0.1:\(port)/ws-fapi/v1" }
    var connections: [WebSocketServerConnection] { sessions.state.withLock { $0.connections } }
    var closedCount: Int { sessions.state.withLock { $0.closed } }

    /// Reads a value owned by `connection`'s queue from the test thread.
    func read<T: Sendable>(
        _ connection: WebSocketServerConnection, _ body: @Sendable (WebSocketServerConnection) -> T
    ) -> T {
        connection.queue.sync { body(connection) }
    }

    func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }

    /// The ws-fapi answer to `request`, built from its bytes: `params` is the last member.
    static func answer(_ request: [UInt8]) -> [UInt8] {
        let text = String(decoding: request, as: UTF8.self)
        guard let idStart = text.range(of: #""id":"#)?.upperBound,
            let paramsStart = text.range(of: #""params":"#)?.upperBound
        else { return Array(#"{"id":null,"status":400,"error":{"code":-1,"msg":"bad request"}}"#.utf8) }
        let id = text[idStart...].prefix { $0.isNumber }
        let params = text[paramsStart...].dropLast()
        return Array(#"{"id":\#(id),"status":200,"result":\#(params)}"#.utf8)
    }
}
