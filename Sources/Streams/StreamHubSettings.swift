/// The limits and timings of the stream hub's upstream connections.
///
/// Defaults follow the exchange: 1024 streams per connection, 10 incoming messages a second
/// (the hub sends at most 5), a 24 h connection life (the hub rotates after 23 h).
public struct StreamHubSettings: Sendable {
    /// Streams one upstream connection carries; past it another connection is opened.
    public var maxStreamsPerConnection = 1024
    /// Control messages (SUBSCRIBE, UNSUBSCRIBE) sent per connection per second.
    public var controlMessagesPerSecond = 5
    /// Streams named in one SUBSCRIBE or UNSUBSCRIBE.
    public var maxStreamsPerMessage = 200
    /// A connection with subscriptions that receives nothing for this long is replaced.
    public var silentAfter: Duration = .seconds(120)
    /// A connection is replaced, make-before-break, after this long.
    public var rotateAfter: Duration = .seconds(23 * 3600)
    /// First wait before reconnecting after a loss (the first retry is immediate), doubled up to `maxBackoff`.
    public var initialBackoff: Duration = .milliseconds(500)
    public var maxBackoff: Duration = .seconds(30)
    /// A connection left without streams is closed after this long.
    public var idleClose: Duration = .seconds(30)

    public init() {}
}

extension Duration {
    /// Whole nanoseconds, for the monotonic clocks of the state machines.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
