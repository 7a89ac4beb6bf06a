/// Exponential reconnect backoff with jitter: after n failures in a row the delay is a random
/// point in [d/2, d], d = initial · 2ⁿ capped at `maximum`. Pure: the caller supplies the
/// jitter, so a test pins it.
public struct ReconnectBackoff: Sendable, Hashable {
    public let initial: Duration
    public let maximum: Duration
    /// Failed connects (or connections that died before proving healthy) in a row.
    public private(set) var failures = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    public mutating func recordFailure() { failures += 1 }

    /// A connection proved healthy: the next failure starts from `initial` again.
    public mutating func reset() { failures = 0 }

    /// The wait before the next attempt, `jitter` in 0.5...1 scaling the current ceiling,
    /// truncated to whole milliseconds.
    public func delay(jitter: Double) -> Duration {
        let ceiling = min(maximum, initial * (1 << min(failures, 20)))
        let scaled = ceiling * jitter
        let (seconds, attoseconds) = scaled.components
        return .milliseconds(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// `delay(jitter:)` with a random jitter.
    public func randomDelay() -> Duration { delay(jitter: Self.randomJitter()) }

    /// A random jitter in 0.5...1, for `delay(jitter:)`.
    public static func randomJitter() -> Double { .random(in: 0.5...1.0) }
}
