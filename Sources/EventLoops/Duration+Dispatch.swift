import Dispatch

extension Duration {
    /// Whole nanoseconds, clamped to [0, 10^17] (about three years): what a deadline can use.
    public var nanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < 100_000_000 else { return 100_000_000 * 1_000_000_000 }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }

    /// The duration as a Dispatch interval (see `nanoseconds`).
    public var dispatch: DispatchTimeInterval { .nanoseconds(nanoseconds) }
}
