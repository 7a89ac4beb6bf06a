import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Round-trip times of one run, in microseconds, and their percentiles; written as one JSON
/// line (for scripts/bench) and, optionally, every sample one per line (for the plot).
struct LatencySummary {
    let name: String
    var samples: [Double] = []

    init(name: String, capacity: Int) {
        self.name = name
        samples.reserveCapacity(capacity)
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    mutating func add(since start: UInt64) {
        samples.append(Double(Self.now() - start) / 1000)
    }

    func percentile(_ p: Double, sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    func json(seconds: Double) -> String {
        let sorted = samples.sorted()
        let mean = sorted.reduce(0, +) / Double(max(sorted.count, 1))
        let fields: [(String, Double)] = [
            ("p50", percentile(50, sorted: sorted)), ("p90", percentile(90, sorted: sorted)),
            ("p99", percentile(99, sorted: sorted)), ("p999", percentile(99.9, sorted: sorted)),
            ("max", sorted.last ?? .nan), ("mean", mean),
        ]
        let values = fields.map { #""\#($0.0)":\#(String(format: "%.1f", $0.1))"# }.joined(separator: ",")
        return
            #"{"name":"\#(name)","count":\#(samples.count),"seconds":\#(String(format: "%.2f", seconds)),\#(values)}"#
    }

    func write(samplesTo path: String) throws {
        let text = samples.map { String(format: "%.2f", $0) }.joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
