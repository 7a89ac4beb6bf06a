import HTTP1
import HTTPServer

/// Why `BrowserGuard` refused a request, before any route saw it.
public enum BrowserRefusal: APIError, Hashable {
    /// `Host` names something other than this gateway: a DNS-rebinding page, or a mistake.
    case unknownHost
    /// Sent by a page of another origin; `allowable` is the origin, when it is one `--allow-origin` could name.
    case crossOrigin(allowable: String?)
    /// A body for `/v1/` that is not `application/json`.
    case notJSON

    public var status: HTTPStatus {
        switch self {
        case .unknownHost: .misdirectedRequest
        case .crossOrigin: .forbidden
        case .notJSON: .unsupportedMediaType
        }
    }

    public var message: String {
        switch self {
        case .unknownHost:
            "the Host header does not name this gateway; use localhost or 127.0.0.1 with its port, or start it with --allow-host NAME"
        case .crossOrigin(let origin?):
            "requests from web pages of other origins are refused; to allow \(origin), start the gateway with --allow-origin \(origin)"
        case .crossOrigin(nil):
            "requests from web pages of other origins are refused"
        case .notJSON:
            "the request body must be JSON: send Content-Type: application/json"
        }
    }
}
