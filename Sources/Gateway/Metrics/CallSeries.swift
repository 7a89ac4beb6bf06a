import Synchronization

/// One call's counters: answers by HTTP status and the gateway-internal latency histogram.
/// Each call has its own lock, so concurrent calls of different names never contend.
final class CallSeries: Sendable {
    struct Counts: Sendable {
        var byStatus: [Int: UInt64] = [:]
        var latency = LatencyHistogram()
    }

    let call: String
    private let counts = Mutex(Counts())

    init(call: String) {
        self.call = call
    }

    func record(status: Int, nanoseconds: UInt64) {
        counts.withLock { counts in
            counts.byStatus[status, default: 0] += 1
            counts.latency.record(nanoseconds: nanoseconds)
        }
    }

    var snapshot: Counts { counts.withLock { $0 } }
}
