/// Tuning of the REST client's upstream connection, mirroring `UpstreamConfiguration`.
public struct RESTClientConfiguration: Sendable {
    /// Deadline of each request, from `send`; past it the caller gets `.timedOut` (sent) or
    /// `.unavailable` (never sent).
    public var requestTimeout: Duration
    /// While no connection is up, how long a request may wait for one; past it, it fails, never
    /// sent (`.unavailable`), as soon as no connect attempt is under way, rather than waiting
    /// out `requestTimeout`.
    public var connectWait: Duration
    /// Connecting (DNS, TCP, TLS, the first SETTINGS frame) must finish within this.
    public var connectTimeout: Duration
    /// Requests sent and not yet answered, at most (the peer's MAX_CONCURRENT_STREAMS may be lower).
    public var maxInFlight: Int
    /// Requests waiting for a place in the window or for a connection, at most; more is `.overloaded`.
    public var maxQueued: Int
    /// A connection with nothing in flight for this long is closed; `nil` keeps it open.
    public var idleTimeout: Duration?
    /// Reconnect backoff after failures: first delay and cap; each delay gets random jitter.
    public var reconnectInitialDelay: Duration
    public var reconnectMaxDelay: Duration
    /// Largest response body accepted; a larger one fails the request like a reset stream.
    public var maxResponseBodySize: Int

    public init(
        requestTimeout: Duration = .seconds(10),
        connectWait: Duration = .seconds(1),
        connectTimeout: Duration = .seconds(10),
        maxInFlight: Int = 1024,
        maxQueued: Int = 4096,
        idleTimeout: Duration? = nil,
        reconnectInitialDelay: Duration = .milliseconds(100),
        reconnectMaxDelay: Duration = .seconds(1),
        maxResponseBodySize: Int = 16 * 1024 * 1024
    ) {
        self.requestTimeout = requestTimeout
        self.connectWait = connectWait
        self.connectTimeout = connectTimeout
        self.maxInFlight = maxInFlight
        self.maxQueued = maxQueued
        self.idleTimeout = idleTimeout
        self.reconnectInitialDelay = reconnectInitialDelay
        self.reconnectMaxDelay = reconnectMaxDelay
        self.maxResponseBodySize = maxResponseBodySize
    }
}
