import HTTP1

/// Why an opening handshake (RFC 6455 §4) failed, on either side, in words fit for a log.
///
/// The client fails the connection on any of these; the server answers 400, or 426 with
/// `Sec-WebSocket-Version: 13` for `unsupportedVersion` (§4.4).
public enum WebSocketHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Something we were asked to put in a request would make it malformed.
    case invalidRequestParameter(String)
    case unexpectedStatus(HTTPStatus)
    case unexpectedHTTPVersion(HTTPVersion)
    /// `Upgrade` missing, repeated or not `websocket`; the value as received, if any.
    case badUpgrade(String?)
    /// `Connection` without the `upgrade` token; the values as received.
    case badConnection([String])
    case badAccept(expected: String, received: String?)
    case unexpectedExtension(String)
    case unexpectedSubprotocol(String)
    case methodNotGET(HTTPMethod)
    case unsupportedVersion(String?)
    case badKey(String?)

    public var description: String {
        switch self {
        case .invalidRequestParameter(let why): "invalid handshake request: \(why)"
        case .unexpectedStatus(let status): "expected 101, got \(status)"
        case .unexpectedHTTPVersion(let version): "expected HTTP/1.1, got \(version.text)"
        case .badUpgrade(let value): "expected Upgrade: websocket, got \(Self.quoted(value))"
        case .badConnection(let values):
            "Connection lacks the upgrade token: \(Self.quoted(values.joined(separator: ", ")))"
        case .badAccept(let expected, let received):
            "bad Sec-WebSocket-Accept: expected \(expected), got \(Self.quoted(received))"
        case .unexpectedExtension(let value): "server selected an extension we did not offer: \(value)"
        case .unexpectedSubprotocol(let value): "server selected a subprotocol we did not offer: \(value)"
        case .methodNotGET(let method): "expected GET, got \(method.rawValue)"
        case .unsupportedVersion(let value): "expected Sec-WebSocket-Version: 13, got \(Self.quoted(value))"
        case .badKey(let value): "Sec-WebSocket-Key is not base64 of 16 bytes: \(Self.quoted(value))"
        }
    }

    private static func quoted(_ value: String?) -> String {
        value.map { "\"\($0)\"" } ?? "nothing"
    }
}
