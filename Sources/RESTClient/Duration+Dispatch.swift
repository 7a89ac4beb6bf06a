import Dispatch

extension Duration {
    /// The duration in seconds, for backoff arithmetic.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration for Dispatch timers, clamped to what they accept.
    var dispatch: DispatchTimeInterval {
        .nanoseconds(Int(max(0, min(seconds * 1e9, 1e17))))
    }
}
