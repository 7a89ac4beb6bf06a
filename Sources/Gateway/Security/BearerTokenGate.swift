import HTTP1
import HTTPServer
import OpenSSL

/// Lets a request through to `inner` only with `Authorization: Bearer <token>`, except on the
/// paths in `open` (`/healthz`, for orchestrators' liveness probes). Used whenever the gateway
/// is given `--auth-token-file`, which it must be to listen beyond loopback: the gateway signs
/// with the account's keys, so anyone who can reach it can trade.
///
/// Tokens are compared as SHA-256 digests, byte by byte without an early exit, so the time taken
/// says nothing about how much of a guess was right, nor about the token's length.
public struct BearerTokenGate: HTTPHandler {
    private let digest: [UInt8]
    private let inner: any HTTPHandler
    private let open: Set<String>

    public init(token: String, inner: any HTTPHandler, open: Set<String> = ["/healthz"]) {
        self.digest = Digest.sha256(Array(token.utf8))
        self.inner = inner
        self.open = open
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        if open.contains(String(request.path)) || authorizes(request.headers.values(for: "Authorization")) {
            return inner.handle(request, responder: responder)
        }
        responder.respond(RefusalOutcome.response(Unauthorized(), to: request))
    }

    /// True for exactly one `Authorization` field whose scheme is Bearer (any case) and whose
    /// credentials are the token.
    func authorizes(_ fields: [String]) -> Bool {
        guard fields.count == 1, let field = fields.first else { return false }
        let scheme = "bearer "
        guard field.utf8.count > scheme.utf8.count, field.prefix(scheme.count).lowercased() == scheme else {
            return false
        }
        let given = Digest.sha256(Array(field.utf8.dropFirst(scheme.utf8.count)))
        var difference: UInt8 = 0
        for index in 0..<digest.count { difference |= digest[index] ^ given[index] }
        return difference == 0
    }

    /// 401 with `WWW-Authenticate: Bearer`, the same answer for a missing and a wrong token.
    struct Unauthorized: APIError {
        var status: HTTPStatus { .unauthorized }
        var message: String { "missing or invalid bearer token: send Authorization: Bearer <token>" }
        var headers: HTTPHeaders { ["WWW-Authenticate": "Bearer"] }
    }
}
