import Catalog
import HTTP1
import HTTPServer
import Pacing
import RequestWindow
import Upstream

/// Answers the gateway gives itself for a call, in the `{"code","msg"}` shape. A positive
/// code is the gateway's own and means nothing was done upstream; a negative one is Binance's,
/// in Binance's meaning.
enum CallRefusal: APIError {
    case invalid(CallError)
    case noCredentials
    case rateLimited(kind: RateLimitKind, retryAfterMillis: Int64, reason: String)
    case upstream(UpstreamFailure, clientOrderId: String?)
    /// Sent, the connection died, and a lookup proved the call took no effect.
    case notApplied(finding: String)
    /// The upstream answered with a page that is not JSON.
    case upstreamPage(UpstreamPage)
    case idempotencyConflict
    /// The journal could not record the call, so it was not sent.
    case journalUnavailable
    case malformedIdempotencyKey

    var status: HTTPStatus {
        switch self {
        case .invalid(let error): HTTPStatus(code: error.httpStatus)
        case .noCredentials: .unauthorized
        case .rateLimited: .tooManyRequests
        case .upstream(let failure, _): failure.status
        case .notApplied: .badGateway
        case .upstreamPage(let page): HTTPStatus(code: page.status >= 400 ? page.status : 502)
        case .idempotencyConflict: HTTPStatus(code: 422)
        case .journalUnavailable: .serviceUnavailable
        case .malformedIdempotencyKey: .badRequest
        }
    }

    var code: Int {
        switch self {
        case .invalid(let error): error.code
        case .noCredentials: -2015
        case .rateLimited: -1003
        case .upstream(let failure, _): failure.code
        case .notApplied: 502
        case .upstreamPage(let page) where page.status >= 500 || page.status < 400: -1001
        case .upstreamPage(let page): page.status
        case .idempotencyConflict: 422
        case .journalUnavailable: 503
        case .malformedIdempotencyKey: 400
        }
    }

    var message: String {
        switch self {
        case .invalid(let error): error.message
        case .noCredentials:
            "no API credentials configured: signed calls need BINANCE_API_KEY with BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE"
        case .rateLimited(let kind, let retryAfterMillis, let reason):
            "local \(kind.rawValue) limit: \(reason); not sent, retry in \(retryAfterMillis) ms"
        case .upstream(let failure, let clientOrderId?):
            failure.message + "; clientOrderId \(clientOrderId)"
        case .upstream(let failure, nil): failure.message
        case .notApplied(let finding): "upstream disconnected before answering, and \(finding); safe to retry"
        case .upstreamPage(let page) where page.status >= 400 && page.status < 500:
            "upstream answered \(page.status) with a page that is not JSON, refusing the request: \(page.excerpt)"
        case .upstreamPage(let page):
            "upstream answered \(page.status) with a page that is not JSON; execution status unknown: \(page.excerpt)"
        case .idempotencyConflict: "Idempotency-Key was already used with other parameters"
        case .journalUnavailable: "the state journal cannot be written: request not sent"
        case .malformedIdempotencyKey: "Idempotency-Key must be 1 to 255 visible ASCII characters"
        }
    }

    var headers: HTTPHeaders {
        switch self {
        case .rateLimited(_, let retryAfterMillis, _): ["Retry-After": String(max(1, (retryAfterMillis + 999) / 1000))]
        case .upstream(let failure, _): failure.headers
        case .notApplied: ["Retry-After": "1"]
        case .upstreamPage(let page): ["X-Upstream-Status": String(page.status)]
        default: [:]
        }
    }
}
