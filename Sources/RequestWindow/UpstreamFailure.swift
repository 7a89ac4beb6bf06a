/// Why a request got no answer from upstream, over the WebSocket or the REST API. Each
/// request gets exactly one outcome.
public enum UpstreamFailure: Error, Sendable, Hashable {
    /// The in-flight window and the wait queue are both full.
    case overloaded
    /// No connection carried the request before its deadline; it was never sent.
    case unavailable
    /// Sent, but no answer came before the deadline.
    case timedOut
    /// The connection died with the request in flight. For a state-changing call the
    /// outcome is unknown: it may or may not have been executed.
    case disconnected(outcomeUnknown: Bool)
    /// The gateway is stopping.
    case shuttingDown
}
