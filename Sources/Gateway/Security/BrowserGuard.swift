import HTTP1
import HTTPServer

/// Applies `BrowserPolicy` in front of `inner`: refuses what a browser page could send the
/// gateway without the user meaning it, answers CORS preflights from allowed origins, and adds
/// the CORS fields to answers for them. It stands outermost, before the bearer-token check,
/// since a preflight carries no credentials.
public struct BrowserGuard: HTTPHandler {
    private let policy: BrowserPolicy
    private let inner: any HTTPHandler

    public init(policy: BrowserPolicy, inner: any HTTPHandler) {
        self.policy = policy
        self.inner = inner
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        switch policy.verdict(on: request.head) {
        case .pass(nil):
            inner.handle(request, responder: responder)
        case .pass(let origin?):
            inner.handle(
                request,
                responder: responder.map { response in
                    var response = response
                    Self.addCORSFields(for: origin, to: &response.headers)
                    response.headers.set("Access-Control-Expose-Headers", Self.exposedHeaders)
                    return response
                })
        case .preflight(let origin, let privateNetwork):
            var headers: HTTPHeaders = [
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key, X-Request-Id",
                "Access-Control-Max-Age": "600",
            ]
            Self.addCORSFields(for: origin, to: &headers)
            if privateNetwork { headers.set("Access-Control-Allow-Private-Network", "true") }
            responder.respond(HTTPResponse(status: .noContent, headers: headers))
        case .refuse(let refusal):
            responder.respond(RefusalOutcome.response(refusal, to: request))
        }
    }

    private static func addCORSFields(for origin: String, to headers: inout HTTPHeaders) {
        headers.set("Access-Control-Allow-Origin", origin)
        headers.add("Vary", "Origin")
    }

    /// The answer fields a page may read besides the CORS-safelisted ones.
    static let exposedHeaders = [
        "X-Request-Id", "X-Client-Order-Id", "X-Gateway-Transport", "X-Gateway-Outcome", "X-Gateway-Reconciled",
        "Idempotent-Replayed", "Retry-After", "X-MBX-USED-WEIGHT-1M", "X-MBX-ORDER-COUNT-10S", "X-MBX-ORDER-COUNT-1M",
    ].joined(separator: ", ")
}
