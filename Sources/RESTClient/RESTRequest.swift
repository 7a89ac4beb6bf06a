import HTTP1
import RequestWindow

/// One REST call as the gateway hands it to `RESTClient`.
///
/// `effect` decides what a disconnect may do with it (read-only calls are retried once,
/// state-changing ones never resent); `build` makes each attempt's bytes, so a retry gets a
/// fresh timestamp and signature.
public struct RESTRequest: Sendable {
    /// The pieces of one attempt: request target (path and query), extra header fields, body.
    public typealias Parts = (target: String, headers: [(name: String, value: String)], body: [UInt8])

    public let method: HTTPMethod
    public let effect: RequestEffect
    /// Builds the request target ("/fapi/v1/order?symbol=...&signature=...") and body for ONE
    /// attempt; called again on a retry so timestamps/signatures are fresh.
    public let build: @Sendable () -> Parts

    public init(method: HTTPMethod, effect: RequestEffect, build: @escaping @Sendable () -> Parts) {
        self.method = method
        self.effect = effect
        self.build = build
    }
}

/// A complete answer from the REST API: any status, the header fields, the whole body.
public struct RESTResponse: Sendable {
    public let status: Int
    /// Header fields as received (HTTP/2 names are lowercase; pseudo-headers are left out).
    public let headers: HTTPHeaders
    public let body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
