/// The request/response exchange of an `HTTP1ClientConnection`, as a pure state machine: one
/// request on the wire at a time, the connection kept only while the server keeps it alive.
/// Each event returns what the connection must do; the connection only carries it out.
///
/// open (a request on the wire or not) → closing (no new request; the stream's end awaited)
/// → closed. Owned by the connection's queue.
struct HTTP1ExchangeState: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// Takes a request whenever `current` (the one on the wire) is nil.
        case open(current: UInt64?)
        /// Takes no new request (closed by the client, the server's `close`, a protocol error
        /// named by `failure`); the stream's end is awaited.
        case closing(current: UInt64?, failure: String?)
        /// The stream ended.
        case closed
    }

    enum ResponseStep: Sendable, Equatable {
        /// Deliver the response to `id`; then close the connection if `close`, else tell the
        /// client there is room again.
        case deliver(id: UInt64, close: Bool)
        /// Nobody asked: close the connection (the failure is recorded).
        case unexpected
    }

    /// What the connection tells its client once the stream ended.
    struct Ending: Sendable, Equatable {
        /// The request still on the wire, which the bytes read so far may answer.
        var current: UInt64?
        /// The protocol error that ended it, if any.
        var failure: String?
    }

    private(set) var state = State.open(current: nil)

    /// The request on the wire, whose response is awaited.
    var current: UInt64? {
        switch state {
        case .open(let current), .closing(let current, _): current
        case .closed: nil
        }
    }

    var isAccepting: Bool {
        if case .open = state { true } else { false }
    }

    /// How many requests it takes now: 1 or 0.
    var capacity: Int {
        if case .open(current: nil) = state { 1 } else { 0 }
    }

    var isClosed: Bool {
        if case .closed = state { true } else { false }
    }

    /// Request `id` goes on the wire; false when the connection cannot take it now.
    mutating func send(_ id: UInt64) -> Bool {
        guard capacity > 0 else { return false }
        state = .open(current: id)
        return true
    }

    /// The client gives up on `id`. True when the connection must close: HTTP/1.1 cannot
    /// abandon one response and keep the connection, as the late answer would be read as the
    /// next request's.
    mutating func cancel(_ id: UInt64) -> Bool {
        guard current == id else { return false }
        settle()
        stopAccepting()
        return true
    }

    /// The client closes the connection.
    mutating func close() { stopAccepting() }

    /// A whole response arrived; `keepAlive` false when the server ends the connection after it.
    mutating func responseReceived(keepAlive: Bool) -> ResponseStep {
        guard let id = current else {
            protocolFailure("a response nobody asked for")
            return .unexpected
        }
        settle()
        if !keepAlive { stopAccepting() }
        return .deliver(id: id, close: !keepAlive)
    }

    /// The response bytes broke HTTP/1.1: the connection closes, and its end names `reason`.
    mutating func protocolFailure(_ reason: String) {
        stopAccepting(failure: reason)
    }

    /// The stream ended.
    mutating func streamEnded() -> Ending {
        var ending = Ending(current: current)
        if case .closing(_, let failure) = state { ending.failure = failure }
        state = .closed
        return ending
    }

    private mutating func settle() {
        switch state {
        case .open: state = .open(current: nil)
        case .closing(_, let failure): state = .closing(current: nil, failure: failure)
        case .closed: break
        }
    }

    private mutating func stopAccepting(failure: String? = nil) {
        switch state {
        case .open(let current): state = .closing(current: current, failure: failure)
        case .closing(let current, let earlier): state = .closing(current: current, failure: failure ?? earlier)
        case .closed: break
        }
    }
}
