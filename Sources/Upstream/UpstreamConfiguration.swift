/// Tuning of the shared upstream connection.
public struct UpstreamConfiguration: Sendable {
    /// Deadline of each request, from arrival; past it the client gets 504 (or 503 if never sent).
    public var requestTimeout: Duration
    /// While no connection is up, how long a request may wait for one; past it, it fails, never
    /// sent (`.unavailable`), as soon as no connect attempt is under way, rather than waiting
    /// out `requestTimeout`.
    public var connectWait: Duration
    /// Requests sent and not yet answered, at most.
    public var maxInFlight: Int
    /// Requests waiting for a place in the window (or for a connection), at most; more is 503.
    public var maxQueued: Int
    /// Age at which a connection is replaced, make-before-break (upstream's limit is 24 h).
    public var rotateAfter: Duration
    /// Reconnect backoff: first delay and cap; each delay gets random jitter. The cap bounds
    /// how long the gateway takes to notice that the upstream is back.
    public var reconnectInitialDelay: Duration
    public var reconnectMaxDelay: Duration

    public init(
        requestTimeout: Duration = .seconds(10),
        connectWait: Duration = .seconds(1),
        maxInFlight: Int = 1024,
        maxQueued: Int = 4096,
        rotateAfter: Duration = .seconds(23 * 3600),
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaxDelay: Duration = .seconds(1)
    ) {
        self.requestTimeout = requestTimeout
        self.connectWait = connectWait
        self.maxInFlight = maxInFlight
        self.maxQueued = maxQueued
        self.rotateAfter = rotateAfter
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaxDelay = reconnectMaxDelay
    }
}

/// A snapshot of the upstream for `/readyz` and metrics.
public struct UpstreamStatus: Sendable, Hashable {
    public var connected: Bool
    /// Milliseconds since the Unix epoch when the current connection was opened.
    public var connectedSinceMillis: Int64?
    /// Milliseconds since the Unix epoch when the current connection will be rotated.
    public var rotationDueMillis: Int64?
    public var inFlight: Int
    public var queued: Int
    /// Connections established: the first, reconnects and rotations.
    public var connects: Int
    public var reconnects: Int
    public var rotations: Int
}
