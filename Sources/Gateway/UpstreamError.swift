import HTTP1
import HTTPServer
import RequestWindow
import Upstream

/// How an upstream failure reaches the client. "Outcome unknown" uses Binance's own codes
/// (-1001 after a disconnect, -1007 after a deadline), so a client handles it the same way
/// whichever said it; "not sent" is the gateway's own code 503, never Binance's 503 -1001,
/// which means "execution status unknown".
extension UpstreamFailure: APIError {
    public var status: HTTPStatus {
        switch self {
        case .overloaded, .unavailable, .shuttingDown: .serviceUnavailable
        case .timedOut: .gatewayTimeout
        case .disconnected: .badGateway
        }
    }

    public var code: Int {
        switch self {
        case .overloaded: -1008
        case .timedOut: -1007
        case .unavailable, .shuttingDown: 503
        case .disconnected: -1001
        }
    }

    public var message: String {
        switch self {
        case .overloaded: "gateway overloaded: too many requests in flight; not sent, retry later"
        case .unavailable: "no upstream connection: request not sent; safe to retry"
        case .timedOut: "timeout waiting for the upstream answer; execution status unknown"
        case .disconnected(outcomeUnknown: true): "upstream disconnected; outcome unknown"
        case .disconnected(outcomeUnknown: false): "upstream disconnected"
        case .shuttingDown: "gateway shutting down; request not sent"
        }
    }

    public var headers: HTTPHeaders {
        switch self {
        case .overloaded, .unavailable, .shuttingDown: ["Retry-After": "1"]
        default: [:]
        }
    }
}

/// Requests the gateway refuses before anything goes upstream.
enum RequestError: APIError, Hashable {
    case invalidMethodName(String)
    /// `/v1/call/v2/account.status`: the method's `/` must be percent-encoded, as in any path parameter.
    case unencodedSlash(String)
    case bodyNotAJSONObject

    var status: HTTPStatus { .badRequest }

    var code: Int { -1100 }

    var message: String {
        switch self {
        case .invalidMethodName(let name): "invalid upstream method name '\(name)'"
        case .unencodedSlash:
            "the upstream method is one path segment: percent-encode its '/' as %2F (/v1/call/v2%2Faccount.status)"
        case .bodyNotAJSONObject: "the request body must be a JSON object of parameters"
        }
    }
}
