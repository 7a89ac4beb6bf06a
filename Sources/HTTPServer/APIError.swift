import HTTP1

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
        case .methodNotAllowed(let allowed): "method not allowed; use \(allowed.map(\.rawValue).joined(separator: ", "))"
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

/// Minimal JSON string quoting for bodies the server writes itself.
public enum JSONText {
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
