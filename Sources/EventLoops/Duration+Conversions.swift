import Dispatch

/// The process's one set of `Duration` conversions: to Dispatch for deadlines, and to numbers
/// for arithmetic and for the wire.
extension Duration {
    /// Whole nanoseconds, clamped to [0, 10^17] (about three years): what a deadline can use.
    public var nanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < 100_000_000 else { return 100_000_000 * 1_000_000_000 }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds, rounded toward zero (negative durations stay negative): for
    /// timestamps in milliseconds, as the exchange writes them.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds, for backoff and rate arithmetic.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration as a Dispatch interval (see `nanoseconds`).
    public var dispatch: DispatchTimeInterval { .nanoseconds(nanoseconds) }
}
