import Transport

/// What a connection tells the client, on the client's queue, about the requests it carries
/// (each identified by the client's attempt id).
enum RESTConnectionEvent {
    case response(UInt64, RESTResponse)
    /// The server never processed the request (REFUSED_STREAM, or above a GOAWAY's
    /// last-stream-id): resending it is safe whatever its effect.
    case refused(UInt64)
    /// The stream alone was reset after the server may have processed the request.
    case reset(UInt64, reason: String)
    /// The connection takes no new requests (GOAWAY); open ones may still finish.
    case goingAway
    /// Room for more requests may have appeared (a stream ended, SETTINGS changed).
    case capacityChanged
    /// The connection is gone; every request still on it died with it.
    case closed(String?)
}

/// One upstream connection carrying REST requests, HTTP/2 or HTTP/1.1. Confined to the
/// client's queue: every member is used there and every event is delivered there.
protocol RESTConnection: AnyObject {
    /// "h2" or "http/1.1".
    var protocolName: String { get }
    /// How many more requests it takes right now.
    var capacity: Int { get }
    /// False once the connection will take no new requests (GOAWAY, closing, ids exhausted).
    var isAccepting: Bool { get }
    /// Sends one attempt; false when the connection cannot take it (the request was not sent).
    func send(_ request: RESTWireRequest, id: UInt64) -> Bool
    /// Gives up on a request whose deadline passed: an RST_STREAM, or for HTTP/1.1 the
    /// connection itself. No event follows for `id`.
    func cancel(_ id: UInt64)
    /// Closes at once; `.closed` follows, later, on the queue.
    func close()
}
