import HTTP1
import HTTPServer
import WebSocket

/// Why an upgrade request to a WebSocket endpoint is refused, as the server's one error body.
///
/// A wrong `Sec-WebSocket-Version` is 426 with `Sec-WebSocket-Version: 13` (RFC 6455 §4.4);
/// any other invalid handshake is 400.
public struct WebSocketHandshakeRefusal: APIError, Hashable {
    public let error: WebSocketHandshakeError

    public init(_ error: WebSocketHandshakeError) {
        self.error = error
    }

    public var status: HTTPStatus {
        if case .unsupportedVersion = error { return HTTPStatus(code: 426, reason: "Upgrade Required") }
        return .badRequest
    }

    public var message: String { "not a valid WebSocket upgrade: \(error)" }

    public var headers: HTTPHeaders {
        if case .unsupportedVersion = error { return ["Sec-WebSocket-Version": "13"] }
        return [:]
    }
}
