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
    typealias TakeOver = @Sendable (UpgradedConnection) -> Void

    private let deliver: @Sendable (HTTPResponse) -> Void
    /// Set by the connection; nil for a responder made elsewhere (a test double).
    private let deliverUpgrade: (@Sendable (HTTPResponse, @escaping TakeOver) -> Void)?

    public init(_ deliver: @escaping @Sendable (HTTPResponse) -> Void) {
        self.deliver = deliver
        self.deliverUpgrade = nil
    }

    init(
        _ deliver: @escaping @Sendable (HTTPResponse) -> Void,
        upgrade: @escaping @Sendable (HTTPResponse, @escaping TakeOver) -> Void
    ) {
        self.deliver = deliver
        self.deliverUpgrade = upgrade
    }

    public func respond(_ response: HTTPResponse) {
        deliver(response)
    }

    public func respond(_ error: some APIError) {
        deliver(.error(error))
    }
}

extension HTTPResponder {
    /// Sends `response` (normally 101) and then hands the connection to `takeOver`, on the connection's queue.
    ///
    /// The response is written in request order like any other, as is (no framing fields are
    /// added; `Connection` and `Upgrade` are kept). The connection then stops speaking HTTP.
    /// Only the last request in flight may upgrade: requests carrying an `Upgrade` field are
    /// answered before anything after them is decoded. Upgrading another request answers 500
    /// and closes. A responder not made by the server delivers `response` and never calls `takeOver`.
    /// Whether `upgrade` can hand the connection over: an HTTP/1.1 connection's responder can;
    /// an HTTP/2 stream's (and a test double's) cannot.
    public var canUpgrade: Bool { deliverUpgrade != nil }

    public func upgrade(_ response: HTTPResponse, takeOver: @escaping @Sendable (UpgradedConnection) -> Void) {
        guard let deliverUpgrade else { return deliver(response) }
        deliverUpgrade(response, takeOver)
    }
}

extension HTTPResponder {
    /// A responder that passes every response, an upgrade's too, through `transform` first.
    public func map(_ transform: @escaping @Sendable (HTTPResponse) -> HTTPResponse) -> HTTPResponder {
        let deliver = self.deliver
        guard let deliverUpgrade else { return HTTPResponder { deliver(transform($0)) } }
        return HTTPResponder({ deliver(transform($0)) }, upgrade: { deliverUpgrade(transform($0), $1) })
    }
}
