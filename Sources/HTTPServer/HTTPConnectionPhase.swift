/// Where an `HTTPConnection` is in its life, as a pure state machine: each event returns what the
/// connection must do, and the connection only carries it out. Confined to the connection's loop.
///
/// serving (requests decoded) → finishing (no further request decoded; the last answers go out) →
/// lingering (the write side shut, the client's last bytes drained) → closed. Any phase may close
/// at once, and a serving or finishing connection may be handed over to an `UpgradedConnection` (a 101 or the
/// HTTP/2 preface), after which the socket is no longer HTTP/1's. A server shutdown is orthogonal
/// to serving and finishing: the connection closes once it is between requests with nothing owed.
struct HTTPConnectionPhase: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case serving(shuttingDown: Bool)
        case finishing(shuttingDown: Bool)
        case lingering(shuttingDown: Bool)
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

    private(set) var state = State.serving(shuttingDown: false)

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
        case .serving(let shuttingDown), .finishing(let shuttingDown), .lingering(let shuttingDown): shuttingDown
        case .handedOver, .closed: false
        }
    }

    /// No further request will be decoded (a request without keep-alive, an error the server
    /// answers, a refused upgrade).
    mutating func stopDecoding() {
        if case .serving(let shuttingDown) = state { state = .finishing(shuttingDown: shuttingDown) }
    }

    /// The server shuts down: the connection closes once between requests.
    mutating func shutdown() {
        switch state {
        case .serving: state = .serving(shuttingDown: true)
        case .finishing: state = .finishing(shuttingDown: true)
        case .lingering: state = .lingering(shuttingDown: true)
        case .handedOver, .closed: break
        }
    }

    /// Whether the answer being written keeps the connection open: not if the request said so,
    /// nor if it is the `last` one in flight during a shutdown.
    func keepsAlive(requested: Bool, last: Bool) -> Bool {
        requested && !(isShuttingDown && last)
    }

    /// Every answer owed is sent (no request in flight).
    func outputDrained(isBetweenRequests: Bool, peerClosed: Bool) -> DrainedAction {
        switch state {
        case .finishing: return .linger
        case .serving(let shuttingDown), .lingering(let shuttingDown):
            return peerClosed || (shuttingDown && isBetweenRequests) ? .close : .keepServing
        case .handedOver, .closed:
            return .keepServing
        }
    }

    /// The write side is shut; only draining is left.
    mutating func linger() {
        guard case .finishing(let shuttingDown) = state else { preconditionFailure("lingering in \(state)") }
        state = .lingering(shuttingDown: shuttingDown)
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
