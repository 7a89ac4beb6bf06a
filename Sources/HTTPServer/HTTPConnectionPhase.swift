/// Where an `HTTPConnection` is in its life, as a pure state machine: each event returns what the
/// connection must do, and the connection only carries it out. Confined to the connection's loop.
///
/// serving (requests decoded) → finishing (no further request decoded; the last answers go out) →
/// lingering (the write side shut, the client's last bytes drained) → closed. Any phase may close
/// at once, and a serving or finishing connection may be handed over to an `UpgradedConnection` (a 101 or the
/// HTTP/2 preface), after which the socket is no longer HTTP/1's. A server shutdown is orthogonal
/// to serving and finishing: the connection closes once it is between requests with nothing owed.
/// So is the end of the client's input (`peerClosed`): what was read is still answered, then the
/// connection closes; a lingering connection closes as soon as the client's input ends.
struct HTTPConnectionPhase: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case serving(shuttingDown: Bool = false, peerClosed: Bool = false)
        case finishing(shuttingDown: Bool = false, peerClosed: Bool = false)
        case lingering(shuttingDown: Bool = false)
        case handedOver
        case closed
    }

    /// What to do once every answer owed is sent.
    enum DrainedAction: Sendable, Equatable {
        /// Shut the write side and drain what the client still sends.
        case linger
        case close
        /// Wait for the next request.
        case keepServing
    }

    /// What to do when the client's input ends.
    enum InputEndedAction: Sendable, Equatable {
        /// Answer what was read, then close.
        case answerWhatWasRead
        case close
    }

    /// What to do once the write side is shut.
    enum LingerAction: Sendable, Equatable {
        /// Read and drop what the client still sends, until it closes or the linger time ends.
        case drain
        /// The client's input already ended: close.
        case close
    }

    private(set) var state = State.serving()

    /// The socket is no longer this connection's: closed, or handed over.
    var isClosed: Bool {
        switch state {
        case .handedOver, .closed: true
        case .serving, .finishing, .lingering: false
        }
    }

    /// Further requests may be decoded.
    var isDecoding: Bool {
        if case .serving = state { return true }
        return false
    }

    var isLingering: Bool {
        if case .lingering = state { return true }
        return false
    }

    var isShuttingDown: Bool {
        switch state {
        case .serving(let shuttingDown, _), .finishing(let shuttingDown, _), .lingering(let shuttingDown): shuttingDown
        case .handedOver, .closed: false
        }
    }

    /// The client's input has ended (it shut its write side) while its answers are still owed.
    var peerClosed: Bool {
        switch state {
        case .serving(_, let peerClosed), .finishing(_, let peerClosed): peerClosed
        case .lingering, .handedOver, .closed: false
        }
    }

    /// Whether the socket is read: while lingering, always (to drain); while serving, until the
    /// client's input ends and only if `mayTakeMore` (the connection's buffers and pipelined
    /// requests are under their bounds and no upgrade waits for its answer, evaluated only then);
    /// never otherwise.
    @inline(__always)
    func readsInput(mayTakeMore: @autoclosure () -> Bool) -> Bool {
        switch state {
        case .serving(_, let peerClosed): !peerClosed && mayTakeMore()
        case .lingering: true
        case .finishing, .handedOver, .closed: false
        }
    }

    /// No further request will be decoded (a request without keep-alive, an error the server
    /// answers, a refused upgrade).
    mutating func stopDecoding() {
        if case .serving(let shuttingDown, let peerClosed) = state {
            state = .finishing(shuttingDown: shuttingDown, peerClosed: peerClosed)
        }
    }

    /// The server shuts down: the connection closes once between requests.
    mutating func shutdown() {
        switch state {
        case .serving(_, let peerClosed): state = .serving(shuttingDown: true, peerClosed: peerClosed)
        case .finishing(_, let peerClosed): state = .finishing(shuttingDown: true, peerClosed: peerClosed)
        case .lingering: state = .lingering(shuttingDown: true)
        case .handedOver, .closed: break
        }
    }

    /// A read returned end of file.
    mutating func inputEnded() -> InputEndedAction {
        switch state {
        case .serving(let shuttingDown, _): state = .serving(shuttingDown: shuttingDown, peerClosed: true)
        case .finishing(let shuttingDown, _): state = .finishing(shuttingDown: shuttingDown, peerClosed: true)
        case .lingering: return .close
        case .handedOver, .closed: preconditionFailure("reading in \(state)")
        }
        return .answerWhatWasRead
    }

    /// Whether the answer being written keeps the connection open: not if the request said so,
    /// nor if it is the `last` one in flight during a shutdown.
    func keepsAlive(requested: Bool, last: Bool) -> Bool {
        requested && !(isShuttingDown && last)
    }

    /// Every answer owed is sent (no request in flight).
    func outputDrained(isBetweenRequests: Bool) -> DrainedAction {
        switch state {
        case .finishing: return .linger
        case .serving(let shuttingDown, let peerClosed):
            return peerClosed || (shuttingDown && isBetweenRequests) ? .close : .keepServing
        case .lingering(let shuttingDown):
            return shuttingDown && isBetweenRequests ? .close : .keepServing
        case .handedOver, .closed:
            return .keepServing
        }
    }

    /// The write side is shut; only draining is left.
    mutating func linger() -> LingerAction {
        guard case .finishing(let shuttingDown, let peerClosed) = state else {
            preconditionFailure("lingering in \(state)")
        }
        state = .lingering(shuttingDown: shuttingDown)
        return peerClosed ? .close : .drain
    }

    /// The socket goes to an `UpgradedConnection` (an upgrade may be the last request).
    mutating func handOver() {
        switch state {
        case .serving, .finishing: state = .handedOver
        case .lingering, .handedOver, .closed: preconditionFailure("handing over in \(state)")
        }
    }

    /// True if the socket should be closed now, the first time only.
    mutating func close() -> Bool {
        guard !isClosed else { return false }
        state = .closed
        return true
    }
}
