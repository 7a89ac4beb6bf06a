import EventLoops

/// Keeps a warning that can repeat at a client's pace from flooding the log: the first
/// occurrence is logged at once, the ones after it within `interval` are only counted, and
/// their count is logged when the interval ends, once per interval while they go on. A pure
/// value; the caller owns it on one queue and brings the clock (monotonic nanoseconds).
///
/// The caller calls `summary(at:)` `interval` after each `.log`, and again `interval` after
/// each summary that counted something.
struct LogThrottle: Sendable {
    enum Decision: Equatable {
        case log
        /// Counted, to be reported by `summary(at:)`.
        case suppressed
    }

    let interval: Duration
    private var windowEnd: UInt64?
    private var suppressed = 0

    init(interval: Duration) {
        self.interval = interval
    }

    mutating func record(at now: UInt64) -> Decision {
        if let windowEnd, now < windowEnd {
            suppressed += 1
            return .suppressed
        }
        windowEnd = now + UInt64(interval.nanoseconds)
        suppressed = 0
        return .log
    }

    /// Ends the window that is over by `now` and returns how many occurrences it suppressed.
    /// When there were some, a new window opens: occurrences go on being counted, not logged.
    mutating func summary(at now: UInt64) -> Int {
        guard let windowEnd, now >= windowEnd else { return 0 }
        let count = suppressed
        suppressed = 0
        self.windowEnd = count > 0 ? now + UInt64(interval.nanoseconds) : nil
        return count
    }
}
