import HTTP1
import RawJSON

/// An error that reaches a client: an HTTP status and the `{"code","msg"}` body.
///
/// Positive codes are the gateway's own refusals at the HTTP layer (the code is the
/// HTTP status); negative codes are Binance's, passed through or mirrored.
public protocol APIError: Error, Sendable {
    var status: HTTPStatus { get }
    var code: Int { get }
    var message: String { get }
    /// Extra header fields, such as `Allow` or `Retry-After`.
    var headers: HTTPHeaders { get }
}

extension APIError {
    public var code: Int { status.code }
    public var headers: HTTPHeaders { [:] }
}

extension HTTPParseError: APIError {}

/// Refusals made by the server itself, outside any handler.
public enum ServerError: APIError, Hashable {
    case notFound(path: String)
    case methodNotAllowed(allowed: [HTTPMethod])
    case requestTimeout
    case tooManyConnections
    case internalError

    public var status: HTTPStatus {
        switch self {
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .requestTimeout: .requestTimeout
        case .tooManyConnections: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    public var message: String {
        switch self {
        case .notFound(let path): "no route for \(path)"
        case .methodNotAllowed(let allowed):
            "method not allowed; use \(allowed.map(\.rawValue).joined(separator: ", "))"
        case .requestTimeout: "request not received in time"
        case .tooManyConnections: "too many open connections; try again later"
        case .internalError: "internal error"
        }
    }

    public var headers: HTTPHeaders {
        switch self {
        case .methodNotAllowed(let allowed): ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]
        case .tooManyConnections: ["Retry-After": "1"]
        default: [:]
        }
    }
}

extension HTTPResponse {
    /// The one place an error becomes a response.
    public static func error(_ error: some APIError) -> HTTPResponse {
        json(error.status, #"{"code":\#(error.code),"msg":\#(JSONText.quoted(error.message))}"#, headers: error.headers)
    }
}

/// JSON string quoting for bodies the server writes itself (see `RawJSON.JSONString`).
public enum JSONText {
    public static func quoted(_ text: String) -> String { JSONString.quoted(text) }
}
