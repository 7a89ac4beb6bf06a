import HTTP1
import HTTPServer
import Logging
import WebSocket

/// A WebSocket route on our HTTP server, such as the simulator's `GET /ws-fapi/v1`.
///
/// It exists so the HTTP server can serve WebSocket clients without knowing RFC 6455: it checks
/// the opening handshake, answers 101 through `HTTPResponder.upgrade`, and runs a
/// `WebSocketServerConnection` on the connection it is handed.
/// Register it with `router.add(.GET, "/ws-fapi/v1", endpoint.handle)`.
public struct WebSocketEndpoint: Sendable {
    public typealias TextHandler = @Sendable ([UInt8], WebSocketServerConnection) -> Void

    public let settings: WebSocketServerSettings
    private let logger: Logger
    private let onOpen: @Sendable (WebSocketServerConnection) -> Void
    private let onText: TextHandler
    private let onClose: @Sendable (WebSocketServerConnection) -> Void

    /// - Parameters:
    ///   - onOpen: runs on the connection's queue before its first message.
    ///   - onText: each text message, on the connection's queue; answer with `connection.send(text:)`.
    ///   - onClose: runs once when the connection ends, on its queue.
    public init(
        settings: WebSocketServerSettings = WebSocketServerSettings(), logger: Logger,
        onOpen: @escaping @Sendable (WebSocketServerConnection) -> Void = { _ in },
        onText: @escaping TextHandler,
        onClose: @escaping @Sendable (WebSocketServerConnection) -> Void = { _ in }
    ) {
        self.settings = settings
        self.logger = logger
        self.onOpen = onOpen
        self.onText = onText
        self.onClose = onClose
    }

    /// The router handler: 101 and a running connection, or 400/426 with the reason.
    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let key: String
        do {
            key = try WebSocketHandshake.validateRequest(request.head)
        } catch {
            logger.debug("refused a WebSocket handshake", metadata: ["reason": "\(error)"])
            return responder.respond(WebSocketHandshakeRefusal(error))
        }
        let response = HTTPResponse(
            status: HTTPStatus(code: 101, reason: "Switching Protocols"),
            headers: [
                "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Accept": WebSocketHandshake.acceptValue(for: key),
            ])
        responder.upgrade(response) { [settings, logger, onOpen, onText, onClose] upgraded in
            let connection = WebSocketServerConnection(
                upgraded: upgraded, settings: settings, logger: logger,
                onText: onText, onClose: onClose)
            onOpen(connection)
            connection.start()
        }
    }
}
