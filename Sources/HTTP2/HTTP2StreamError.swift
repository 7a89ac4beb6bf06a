import HTTP1
import HTTPServer

/// A request on one stream that the HTTP/2 session answers itself, without the handler,
/// through the one `{"code","msg"}` error body of `APIError`.
enum HTTP2StreamError: APIError, Hashable {
    case methodNotImplemented(String)
    case contentTooLarge(limit: Int)

    var status: HTTPStatus {
        switch self {
        case .methodNotImplemented: .notImplemented
        case .contentTooLarge: .contentTooLarge
        }
    }

    var message: String {
        switch self {
        case .methodNotImplemented(let method): "method \(method) not implemented"
        case .contentTooLarge(let limit): "request body larger than \(limit) bytes"
        }
    }
}
