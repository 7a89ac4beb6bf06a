/// The state of an `UpgradedConnection` as a pure state machine: each event returns what the
/// connection must do, and the connection only carries it out. Confined to the connection's loop.
///
/// waiting (taken over, the taker not running yet) → running (bytes read and delivered) →
/// draining (reading stopped, the output being sent) → closed. Any state may close at once.
/// Two facts about the output are orthogonal to the state: the socket refused bytes
/// (`writeBlocked`, until it is writable again) and the taker's `onBytes` is running
/// (`delivering`, writes wait for it to return so that they go out in one system call).
struct UpgradedConnectionState: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// The taker is not running yet. `started` once `start` was called; `peerClosed` if the
        /// peer closed before the upgrade; `shutdownRequested` if the server began shutting down.
        case waiting(started: Bool, peerClosed: Bool, shutdownRequested: Bool)
        /// The pending bytes are delivered and reading has begun.
        case running
        /// Closing once every buffered byte is sent; reading has stopped.
        case draining
        /// The socket is closed; `started` tells whether the taker must still hear of it.
        case closed(started: Bool)
    }

    /// What to do when the taker's first turn on the queue comes.
    enum BeginAction: Sendable, Equatable {
        /// Closed before the taker ran: tell it.
        case finish
        /// Deliver the bytes that came with the upgrade request, then call `pendingDelivered`.
        case deliverPending
    }

    /// What to do once the pending bytes are delivered.
    enum RunAction: Sendable, Equatable {
        case none
        /// The peer had already closed: close now.
        case close
        /// Start reading; then, if `shutdown`, begin the shutdown that waited for the taker.
        case startReading(shutdown: Bool)
    }

    /// What the server's shutdown asks.
    enum ShutdownAction: Sendable, Equatable {
        /// Closed, or waiting for the taker (it is told once it runs).
        case none
        /// Call the taker's `onShutdown`, or close at once without one.
        case notifyTaker
    }

    /// What `close(afterFlushing:)` asks.
    enum CloseAction: Sendable, Equatable {
        case none
        case closeNow
        /// Reading stopped: update the loop's interest and close once flushed.
        case stopReading
    }

    /// What to do once every buffered byte is sent.
    enum FlushedAction: Sendable, Equatable {
        case updateInterest
        case closeNow
    }

    private(set) var state: State
    /// The socket refused bytes: wait until it is writable.
    private(set) var writeBlocked = false
    /// The taker's `onBytes` is running.
    private(set) var delivering = false

    init(peerClosed: Bool) {
        state = .waiting(started: false, peerClosed: peerClosed, shutdownRequested: false)
    }

    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Bytes are read from the socket.
    var isReading: Bool { state == .running }

    /// The taker may still queue bytes.
    var acceptsWrites: Bool {
        switch state {
        case .waiting, .running: true
        case .draining, .closed: false
        }
    }

    /// A write may go to the socket at once: nothing is blocked and no delivery is running.
    var canFlushNow: Bool { !writeBlocked && !delivering }

    /// The loop's interest, or nil once closed.
    var interest: SocketInterest? {
        isClosed ? nil : SocketInterest(readable: isReading, writable: writeBlocked)
    }

    /// The taker called `start`.
    mutating func start() {
        switch state {
        case .waiting(false, let peerClosed, let shutdown):
            state = .waiting(started: true, peerClosed: peerClosed, shutdownRequested: shutdown)
        case .closed(false):
            state = .closed(started: true)
        case .waiting(true, _, _), .running, .draining, .closed(true):
            preconditionFailure("UpgradedConnection.start called twice")
        }
    }

    /// The taker's first turn on the queue.
    func begin() -> BeginAction {
        isClosed ? .finish : .deliverPending
    }

    mutating func pendingDelivered() -> RunAction {
        guard case .waiting(_, let peerClosed, let shutdown) = state else { return .none }
        if peerClosed { return .close }
        state = .running
        return .startReading(shutdown: shutdown)
    }

    mutating func shutdown() -> ShutdownAction {
        switch state {
        case .waiting(let started, let peerClosed, _):
            state = .waiting(started: started, peerClosed: peerClosed, shutdownRequested: true)
            return .none
        case .running, .draining:
            return .notifyTaker
        case .closed:
            return .none
        }
    }

    mutating func close(afterFlushing: Bool, bufferedByteCount: Int) -> CloseAction {
        if isClosed { return .none }
        guard afterFlushing, bufferedByteCount > 0 else { return .closeNow }
        state = .draining
        return .stopReading
    }

    /// True if the socket should be closed now, the first time only.
    mutating func closeNow() -> Bool {
        let started: Bool
        switch state {
        case .closed: return false
        case .waiting(let wasStarted, _, _): started = wasStarted
        case .running, .draining: started = true
        }
        state = .closed(started: started)
        writeBlocked = false
        return true
    }

    /// The taker must hear of the close now (it has called `start`).
    var mustFinish: Bool { state == .closed(started: true) }

    mutating func deliveryBegan() {
        delivering = true
    }

    /// True if output waits to be flushed now that the delivery is over.
    mutating func deliveryEnded(hasOutput: Bool) -> Bool {
        delivering = false
        return !writeBlocked && hasOutput
    }

    /// The socket took fewer bytes than offered.
    mutating func writeWouldBlock() {
        writeBlocked = true
    }

    /// Every buffered byte is sent.
    mutating func flushed() -> FlushedAction {
        writeBlocked = false
        return state == .draining ? .closeNow : .updateInterest
    }
}
