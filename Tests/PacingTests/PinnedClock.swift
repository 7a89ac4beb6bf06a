import Synchronization

@testable import Pacing

/// A clock the test sets and moves (ms since the epoch).
final class PinnedClock: Sendable {
    /// 1,700,000,040,000: the start of a minute (and of a 10-second window).
    static let minuteStart: Int64 = 28_333_334 * 60_000

    private let millis: Mutex<Int64>

    init(_ start: Int64 = PinnedClock.minuteStart) { millis = Mutex(start) }

    var now: Int64 { millis.withLock { $0 } }
    func advance(_ delta: Int64) { millis.withLock { $0 += delta } }
    func set(_ value: Int64) { millis.withLock { $0 = value } }

    var read: @Sendable () -> Int64 { { self.now } }
}

extension Admission {
    var retryAfter: Int64? {
        if case .refused(_, let millis, _) = self { return millis }
        return nil
    }

    var refusedKind: RateLimitKind? {
        if case .refused(let kind, _, _) = self { return kind }
        return nil
    }
}
