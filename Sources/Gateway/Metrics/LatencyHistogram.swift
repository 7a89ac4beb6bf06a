/// Latencies counted into fixed buckets, as a Prometheus histogram reports them.
///
/// Fixed bounds keep recording to one comparison loop and one increment: cheap enough to run
/// on every request under a lock held for nanoseconds.
struct LatencyHistogram: Sendable {
    /// Upper bounds in seconds, from half a millisecond (a local refusal) to the upstream timeout.
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private static let boundsNanos: [UInt64] = bounds.map { UInt64(($0 * 1e9).rounded()) }

    /// Per bucket, not cumulative; the last one is everything above the largest bound.
    private(set) var counts = [UInt64](repeating: 0, count: bounds.count + 1)
    private(set) var sumNanos: UInt64 = 0
    private(set) var count: UInt64 = 0

    mutating func record(nanoseconds: UInt64) {
        var index = 0
        while index < Self.boundsNanos.count, nanoseconds > Self.boundsNanos[index] { index += 1 }
        counts[index] += 1
        sumNanos &+= nanoseconds
        count += 1
    }

    /// The `_bucket`, `_sum` and `_count` lines of metric `name`; `labels` is `k="v"` text or empty.
    func exposition(name: String, labels: String) -> String {
        let separator = labels.isEmpty ? "" : ","
        var text = ""
        var cumulative: UInt64 = 0
        for (index, bound) in Self.bounds.enumerated() {
            cumulative += counts[index]
            text += "\(name)_bucket{\(labels)\(separator)le=\"\(bound)\"} \(cumulative)\n"
        }
        text += "\(name)_bucket{\(labels)\(separator)le=\"+Inf\"} \(count)\n"
        let braces = labels.isEmpty ? "" : "{\(labels)}"
        text += "\(name)_sum\(braces) \(Double(sumNanos) / 1e9)\n"
        text += "\(name)_count\(braces) \(count)\n"
        return text
    }
}
