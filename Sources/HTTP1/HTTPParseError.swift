/// Why a request was refused before it reached a handler.
///
/// Every case ends the connection: after a framing error the server can no longer tell
/// where the next request starts, and guessing is how requests get smuggled.
public enum HTTPParseError: Error, Sendable, Hashable {
    /// Malformed syntax or an ambiguous message (RFC 9112); the text says what.
    case badRequest(String)
    case uriTooLong
    case headerFieldsTooLarge
    case contentTooLarge
    /// A well-formed method the server does not implement.
    case methodNotImplemented(String)
    case versionNotSupported
    /// An `Expect` value other than `100-continue`.
    case expectationFailed

    public var status: HTTPStatus {
        switch self {
        case .badRequest: .badRequest
        case .uriTooLong: .uriTooLong
        case .headerFieldsTooLarge: .requestHeaderFieldsTooLarge
        case .contentTooLarge: .contentTooLarge
        case .methodNotImplemented: .notImplemented
        case .versionNotSupported: .httpVersionNotSupported
        case .expectationFailed: .expectationFailed
        }
    }

    public var message: String {
        switch self {
        case .badRequest(let why): "bad request: \(why)"
        case .uriTooLong: "request-target too long"
        case .headerFieldsTooLarge: "request header fields too large"
        case .contentTooLarge: "request body too large"
        case .methodNotImplemented(let method): "method not implemented: \(method)"
        case .versionNotSupported: "HTTP version not supported; use HTTP/1.1"
        case .expectationFailed: "unsupported expectation; only 100-continue is understood"
        }
    }
}
