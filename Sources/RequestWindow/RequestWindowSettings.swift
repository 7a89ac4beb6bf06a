/// The tuning a client's `RequestWindow` and `ReconnectBackoff` are made from; both upstream
/// clients' configurations provide it.
public protocol RequestWindowSettings {
    /// Deadline of each request, from its submission.
    var requestTimeout: Duration { get }
    /// While no connection is up and none is being opened, how long a request never sent waits.
    var connectWait: Duration { get }
    /// Attempts on the wire, at most.
    var maxInFlight: Int { get }
    /// Requests waiting for a place, at most.
    var maxQueued: Int { get }
    /// Reconnect backoff: the first delay and the cap.
    var reconnectInitialDelay: Duration { get }
    var reconnectMaxDelay: Duration { get }
}

extension RequestWindow.Limits {
    public init(_ settings: some RequestWindowSettings) {
        self.init(
            requestTimeout: settings.requestTimeout, connectWait: settings.connectWait,
            maxInFlight: settings.maxInFlight, maxQueued: settings.maxQueued)
    }
}

extension ReconnectBackoff {
    public init(_ settings: some RequestWindowSettings) {
        self.init(initial: settings.reconnectInitialDelay, maximum: settings.reconnectMaxDelay)
    }
}
