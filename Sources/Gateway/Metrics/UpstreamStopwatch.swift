import Dispatch
import Synchronization

/// When an upstream request's bytes went out: set by the encoder at each attempt (a retry
/// resets it), read when the answer arrives.
final class UpstreamStopwatch: Sendable {
    private let sentAt = Atomic<UInt64>(0)

    func markSent() {
        sentAt.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
    }

    /// Nanoseconds since the last `markSent`, or nil if nothing was sent.
    var elapsed: UInt64? {
        let start = sentAt.load(ordering: .relaxed)
        return start == 0 ? nil : DispatchTime.now().uptimeNanoseconds &- start
    }
}
