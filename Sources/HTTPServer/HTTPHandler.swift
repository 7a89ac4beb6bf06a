import HTTP1

/// Answers requests. Called on the connection's queue; it must not block.
///
/// A handler answers exactly once through the responder, now or later, from any thread;
/// responses still leave the connection in request order.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}

/// The way back to the connection for one request.
public struct HTTPResponder: Sendable {
    private let deliver: @Sendable (HTTPResponse) -> Void

    public init(_ deliver: @escaping @Sendable (HTTPResponse) -> Void) {
        self.deliver = deliver
    }

    public func respond(_ response: HTTPResponse) {
        deliver(response)
    }

    public func respond(_ error: some APIError) {
        deliver(.error(error))
    }
}
