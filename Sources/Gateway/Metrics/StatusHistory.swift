import RawJSON
import Upstream

/// What the status page draws beyond `/metrics`: 15 minutes of answers in 10-second steps
/// (count, errors, latency histogram, highest rate-limit use), the last 20 errors with their
/// request ids, and the upstream connection's events (connects, rotations, outages).
///
/// A plain value: time comes in as arguments (milliseconds since the epoch), so it is tested
/// without waiting; `GatewayMetrics` owns one behind a mutex.
struct StatusHistory: Sendable {
    static let stepMillis: Int64 = 10_000
    static let steps = 90
    static let maxErrors = 20
    static let maxEvents = 50
    /// An error's answer is kept up to this many bytes.
    static let maxErrorBytes = 300

    struct Step: Sendable {
        var start: Int64
        var answered: UInt64 = 0
        var errors: UInt64 = 0
        var latency = LatencyHistogram()
        /// The highest share (0...1) of any upstream rate limit seen in use during the step.
        var rateLimitUse: Double?
    }

    struct Failure: Sendable {
        var atMillis: Int64
        var call: String
        var status: Int
        var requestId: String?
        var answer: String
    }

    struct Event: Sendable {
        var atMillis: Int64
        var kind: String
        var detail: String
    }

    private var ring: [Step?] = Array(repeating: nil, count: steps)
    private(set) var failures: [Failure] = []
    private(set) var events: [Event] = []
    private var lastUpstream: UpstreamStatus?

    /// The step holding `millis`, emptied first when it still holds an older step.
    private mutating func step(at millis: Int64, _ change: (inout Step) -> Void) {
        let start = millis - millis % Self.stepMillis
        let index = Int((start / Self.stepMillis) % Int64(Self.steps))
        var current = ring[index].flatMap { $0.start == start ? $0 : nil } ?? Step(start: start)
        change(&current)
        ring[index] = current
    }

    mutating func record(
        atMillis millis: Int64, call: String, status: Int, nanoseconds: UInt64,
        requestId: String?, answer: ArraySlice<UInt8>
    ) {
        step(at: millis) { step in
            step.answered += 1
            if status >= 400 { step.errors += 1 }
            step.latency.record(nanoseconds: nanoseconds)
        }
        guard status >= 400 else { return }
        if failures.count == Self.maxErrors { failures.removeFirst() }
        failures.append(
            Failure(
                atMillis: millis, call: call, status: status, requestId: requestId,
                answer: String(decoding: answer.prefix(Self.maxErrorBytes), as: UTF8.self)))
    }

    mutating func recordRateLimitUse(atMillis millis: Int64, _ share: Double) {
        step(at: millis) { step in step.rateLimitUse = max(step.rateLimitUse ?? 0, share) }
    }

    /// Compares `status` with the one seen before and notes what happened in between.
    mutating func observe(_ status: UpstreamStatus, atMillis millis: Int64) {
        defer { lastUpstream = status }
        guard let last = lastUpstream else {
            note(
                millis, status.connected ? "connected" : "down",
                status.connected ? "upstream WebSocket open" : "not connected yet")
            return
        }
        if status.rotations > last.rotations {
            note(millis, "rotated", "connection replaced before its 24-hour limit (\(status.rotations) in all)")
        }
        if status.reconnects > last.reconnects {
            note(millis, "reconnected", "after a lost connection (\(status.reconnects) in all)")
        }
        if last.connected && !status.connected { note(millis, "outage", "upstream WebSocket lost") }
        if !last.connected && status.connected && status.reconnects == last.reconnects
            && status.rotations == last.rotations
        {
            note(millis, "connected", "upstream WebSocket open")
        }
    }

    private mutating func note(_ millis: Int64, _ kind: String, _ detail: String) {
        if events.count == Self.maxEvents { events.removeFirst() }
        events.append(Event(atMillis: millis, kind: kind, detail: detail))
    }

    /// The steps of the last 15 minutes up to `now`, oldest first; a step with nothing recorded is empty.
    func steps(now: Int64) -> [Step] {
        let current = now - now % Self.stepMillis
        return (0..<Self.steps).reversed().map { back in
            let start = current - Int64(back) * Self.stepMillis
            let index = Int((start / Self.stepMillis) % Int64(Self.steps))
            return ring[index].flatMap { $0.start == start ? $0 : nil } ?? Step(start: start)
        }
    }
}
