import RequestWindow

/// The connections of a `RESTClient` and when it may open the next one, as a pure state
/// machine: each event returns what the client must do (connect, arm a retry, close a
/// connection, log), and the client only carries it out. Time comes in as arguments and the
/// backoff's jitter from an injected source.
///
/// One connection takes requests at a time (`ConnectionLifecycle`); a retired one (GOAWAY, no
/// longer accepting, idle) drains and is closed once its last request is done. After a failed
/// connect, or a connection that died with requests on it before answering any, the next
/// connect waits out a `ReconnectBackoff`. Generic over the connection it holds, so tests use
/// plain values. Owned by the client's queue.
struct RESTClientState<Connection> {
    typealias Instant = ContinuousClock.Instant

    struct Slot {
        enum Phase: Equatable {
            /// May take requests; `answered` once a response came back on it.
            case serving(answered: Bool)
            /// Takes no new requests; closed once its last one is done.
            case draining(answered: Bool)
        }

        let connection: Connection
        var phase: Phase
        var lastActive: Instant

        var answered: Bool {
            switch phase {
            case .serving(let answered), .draining(let answered): answered
            }
        }
    }

    /// Which protocol the next connect asks the connector for.
    enum Dialect: Equatable {
        /// What the configured mode says (for `auto`: HTTP/2 if the server agrees).
        case configured
        /// `auto` over plain TCP found no h2c server: HTTP/1.1 straight away.
        case http1
    }

    enum ConnectStep: Equatable {
        case none
        /// Call `retryDue` after the wait.
        case armRetry(after: Duration)
        case connect(generation: Int, http1: Bool)
    }

    enum OpenedStep: Equatable {
        /// The client stopped or the attempt is stale: close the connection.
        case unwanted
        /// The connection takes requests; `fellBackToHTTP1` the first time `auto` learned that
        /// the server has no h2c.
        case serving(fellBackToHTTP1: Bool)
    }

    private(set) var lifecycle = ConnectionLifecycle()
    private(set) var backoff: ReconnectBackoff
    private(set) var slots: [Int: Slot] = [:]
    private(set) var dialect = Dialect.configured
    /// Connects wait until then.
    private(set) var connectNotBefore: Instant?
    /// A `retryDue` is pending.
    private(set) var retryArmed = false
    private(set) var connectionsOpened = 0
    private(set) var lastProtocol: String?
    /// `auto` over plain TCP: an HTTP/1.1 connection means the server has no h2c.
    let learnsHTTP1: Bool
    /// The backoff's jitter, in 0.5...1.
    private let jitter: () -> Double

    init(backoff: ReconnectBackoff, learnsHTTP1: Bool, jitter: @escaping () -> Double = ReconnectBackoff.randomJitter) {
        self.backoff = backoff
        self.learnsHTTP1 = learnsHTTP1
        self.jitter = jitter
    }

    /// The connection taking requests, if any.
    var active: (generation: Int, connection: Connection)? {
        guard let generation = lifecycle.active, let slot = slots[generation] else { return nil }
        return (generation, slot.connection)
    }

    var isStopped: Bool { lifecycle.isStopped }

    /// No connection up and none being opened.
    var isDisconnected: Bool { lifecycle.state == .disconnected }

    // MARK: Connecting

    /// Starts connecting unless a connection is up or coming, or the backoff says wait.
    mutating func ensureConnection(at now: Instant) -> ConnectStep {
        guard lifecycle.state == .disconnected else { return .none }
        if let notBefore = connectNotBefore, now < notBefore {
            guard !retryArmed else { return .none }
            retryArmed = true
            return .armRetry(after: now.duration(to: notBefore))
        }
        guard let generation = lifecycle.beginConnect() else { return .none }
        return .connect(generation: generation, http1: dialect == .http1)
    }

    /// The wait an `.armRetry` asked for is over.
    mutating func retryDue(at now: Instant) -> ConnectStep {
        retryArmed = false
        return ensureConnection(at: now)
    }

    /// Attempt `generation` failed: the next waits out the backoff. Returns the failures in a row.
    mutating func connectFailed(_ generation: Int, at now: Instant) -> Int {
        lifecycle.failed(generation)
        backOff(at: now)
        return backoff.failures
    }

    /// Attempt `generation` produced `connection`, speaking `protocolName`.
    mutating func connected(
        _ generation: Int, connection: Connection, protocolName: String, at now: Instant
    ) -> OpenedStep {
        guard case .active = lifecycle.opened(generation) else { return .unwanted }
        slots[generation] = Slot(connection: connection, phase: .serving(answered: false), lastActive: now)
        connectionsOpened += 1
        lastProtocol = protocolName
        guard learnsHTTP1, dialect == .configured, protocolName == RESTProtocol.http1ALPN else {
            return .serving(fellBackToHTTP1: false)
        }
        dialect = .http1
        return .serving(fellBackToHTTP1: true)
    }

    // MARK: Connection events

    /// A request of `generation` was sent or settled.
    mutating func touch(_ generation: Int, at now: Instant) {
        slots[generation]?.lastActive = now
    }

    /// A response came back on `generation`: the upstream is healthy.
    mutating func answered(on generation: Int) {
        switch slots[generation]?.phase {
        case .serving?: slots[generation]?.phase = .serving(answered: true)
        case .draining?: slots[generation]?.phase = .draining(answered: true)
        case nil: break
        }
        backoff.reset()
    }

    /// `generation` takes no new requests; returns it to close if nothing is in flight on it.
    mutating func retire(_ generation: Int, inFlight: Int) -> Connection? {
        guard let slot = slots[generation] else { return nil }
        slots[generation]?.phase = .draining(answered: slot.answered)
        lifecycle.lost(generation)
        return closeIfDrained(generation, inFlight: inFlight)
    }

    /// The connection to close when `generation` is draining and has nothing in flight.
    func closeIfDrained(_ generation: Int, inFlight: Int) -> Connection? {
        guard let slot = slots[generation], case .draining = slot.phase, inFlight == 0 else { return nil }
        return slot.connection
    }

    /// Connection `generation` is gone, with `lostRequests` of its requests. Returns true if it
    /// was the one taking requests. One that died with requests before any answer (a flapping
    /// upstream) backs off like a failed connect.
    mutating func connectionClosed(_ generation: Int, lostRequests: Int, at now: Instant) -> Bool {
        guard let slot = slots.removeValue(forKey: generation), lifecycle.lost(generation) else { return false }
        if !slot.answered && lostRequests > 0 { backOff(at: now) }
        return true
    }

    /// Whether `generation`, idle since its last activity for `idle`, should be retired now.
    func isIdle(_ generation: Int, inFlight: Int, idle: Duration, at now: Instant) -> Bool {
        guard let slot = slots[generation], inFlight == 0 else { return false }
        return now >= slot.lastActive + idle
    }

    /// Nothing is opened again; returns every connection to close.
    mutating func stop() -> [Connection] {
        lifecycle.stop()
        return slots.values.map(\.connection)
    }

    private mutating func backOff(at now: Instant) {
        backoff.recordFailure()
        connectNotBefore = now + backoff.delay(jitter: jitter())
    }
}
