import Dispatch

/// One live upstream connection, as the multiplexer drives it.
///
/// The multiplexer calls it only on its own queue; a link reports frames and its end
/// through the callbacks it was given at connect time, on that same queue.
public protocol UpstreamLink: AnyObject, Sendable {
    /// Sends one text frame.
    func send(_ frame: [UInt8])
    /// Closes gracefully; the link then reports its end once.
    func close()
}

/// Opens upstream links: the real WebSocket connector, or an in-memory one in tests.
public protocol UpstreamConnector: Sendable {
    /// Opens a link ready for requests (handshaken, and logged on where that is used).
    /// `onFrame` and `onClose` are called on `queue`, and only after `completion`
    /// succeeded; `onClose` exactly once. A connector with a socket needs `queue` to be an
    /// event loop's (`EventLoop.queue`), which owns the socket.
    func connect(
        queue: DispatchQueue,
        onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    )
}
