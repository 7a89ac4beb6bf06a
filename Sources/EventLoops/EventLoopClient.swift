import Dispatch

/// What an event loop calls back on a registered socket, always on the loop's queue.
public protocol EventLoopClient: AnyObject {
    /// The socket is ready; `readable` and `writable` are both true after an error or hang-up,
    /// so that the next read or write reports it.
    func socketReady(readable: Bool, writable: Bool)
    /// The loop's periodic tick (a few times a second), for deadlines.
    func tick(now: DispatchTime)
}

extension EventLoopClient {
    public func tick(now: DispatchTime) {}
}
