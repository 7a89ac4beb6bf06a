import HTTP1
import HTTPServer

/// Gives every answer an `X-Request-Id`, including the ones the router makes itself (404, 405):
/// the client's own when it sent a sane one, else a fresh id. Answers that already carry one
/// (every call's, whose id is in its log lines) keep it.
public struct RequestIdStamp: HTTPHandler {
    private let inner: any HTTPHandler

    public init(inner: any HTTPHandler) {
        self.inner = inner
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let headers = request.headers
        inner.handle(
            request,
            responder: responder.map { response in
                guard response.headers["X-Request-Id"] == nil else { return response }
                var response = response
                response.headers.set("X-Request-Id", CallRoutes.requestId(headers))
                return response
            })
    }
}
