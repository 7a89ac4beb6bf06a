import HTTP1
import HTTPServer
import Upstream

/// How an upstream failure reaches the client: Binance's own codes where one fits, so a
/// client handles "outcome unknown" the same way whether the exchange or we said it.
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
        case .unavailable, .disconnected, .shuttingDown: -1001
        }
    }

    public var message: String {
        switch self {
        case .overloaded: "gateway overloaded: too many requests in flight; retry later"
        case .unavailable: "upstream unavailable; request not sent"
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
        case .unencodedSlash: "the upstream method is one path segment: percent-encode its '/' as %2F (/v1/call/v2%2Faccount.status)"
        case .bodyNotAJSONObject: "the request body must be a JSON object of parameters"
        }
    }
}
