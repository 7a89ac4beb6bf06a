import Testing

@testable import Gateway
@testable import Upstream

/// The status page's history, driven with explicit times: steps of 10 s over 15 minutes, the
/// last 20 errors, and connection events derived from successive upstream states.
@Suite struct StatusHistoryTests {
    private let start: Int64 = 1_700_000_000_000

    private func upstream(connected: Bool, connects: Int, reconnects: Int = 0, rotations: Int = 0) -> UpstreamStatus {
        UpstreamStatus(
            connected: connected, connectedSinceMillis: nil, rotationDueMillis: nil, inFlight: 0, queued: 0,
            connects: connects, reconnects: reconnects, rotations: rotations)
    }

    @Test func answersFallIntoTheirTenSecondStep() {
        var history = StatusHistory()
        history.record(
            atMillis: start + 1_000, call: "a", status: 200, nanoseconds: 300_000, requestId: "r1", answer: [])
        history.record(
            atMillis: start + 9_999, call: "a", status: 400, nanoseconds: 3_000_000, requestId: "r2", answer: [])
        history.record(
            atMillis: start + 10_000, call: "a", status: 200, nanoseconds: 300_000, requestId: "r3", answer: [])
        let steps = history.steps(now: start + 10_000)
        #expect(steps.count == 90)
        #expect(steps[88].start == start && steps[88].answered == 2 && steps[88].errors == 1)
        #expect(steps[88].latency.quantileBoundMillis(0.5) == 0.5)
        #expect(steps[88].latency.quantileBoundMillis(0.99) == 5)
        #expect(steps[89].answered == 1 && steps[89].errors == 0)
        #expect(steps[..<88].allSatisfy { $0.answered == 0 })
    }

    @Test func stepsOlderThanFifteenMinutesAreForgotten() {
        var history = StatusHistory()
        history.record(atMillis: start, call: "a", status: 200, nanoseconds: 1, requestId: nil, answer: [])
        history.recordRateLimitUse(atMillis: start, 0.25)
        history.recordRateLimitUse(atMillis: start + 5, 0.5)
        history.recordRateLimitUse(atMillis: start + 6, 0.1)
        #expect(history.steps(now: start).last?.rateLimitUse == 0.5, "the highest use of the step")
        // 900 s later the same ring slot holds a new step: the old one is gone, not added to.
        let later = start + 900_000
        history.record(atMillis: later, call: "a", status: 200, nanoseconds: 1, requestId: nil, answer: [])
        let steps = history.steps(now: later)
        #expect(steps.last?.answered == 1)
        #expect(steps.last?.rateLimitUse == nil)
        #expect(steps.reduce(0) { $0 + $1.answered } == 1)
    }

    @Test func onlyTheLastTwentyErrorsAreKeptAndCut() {
        var history = StatusHistory()
        for index in 0..<25 {
            history.record(
                atMillis: start + Int64(index), call: "c", status: 503, nanoseconds: 1, requestId: "id\(index)",
                answer: Array(repeating: UInt8(ascii: "x"), count: 1_000)[...])
        }
        #expect(history.failures.count == 20)
        #expect(history.failures.first?.requestId == "id5")
        #expect(history.failures.last?.requestId == "id24")
        #expect(history.failures.allSatisfy { $0.answer.utf8.count == StatusHistory.maxErrorBytes })
    }

    @Test func connectionEventsFollowTheUpstreamState() {
        var history = StatusHistory()
        history.observe(upstream(connected: false, connects: 0), atMillis: start)
        history.observe(upstream(connected: true, connects: 1), atMillis: start + 1)
        history.observe(upstream(connected: true, connects: 1), atMillis: start + 2)
        history.observe(upstream(connected: false, connects: 1), atMillis: start + 3)
        history.observe(upstream(connected: true, connects: 2, reconnects: 1), atMillis: start + 4)
        history.observe(upstream(connected: true, connects: 3, reconnects: 1, rotations: 1), atMillis: start + 5)
        #expect(history.events.map(\.kind) == ["down", "connected", "outage", "reconnected", "rotated"])
        #expect(history.events.map(\.atMillis) == [start, start + 1, start + 3, start + 4, start + 5])
    }

    @Test func theJSONEscapesWhatUpstreamSent() {
        var history = StatusHistory()
        history.record(
            atMillis: start, call: "c", status: 502, nanoseconds: 1, requestId: "r",
            answer: Array(#"{"msg":"</script>\"\n"}"#.utf8)[...])
        let json = history.json(now: start, account: nil)
        #expect(json.contains(#""answer":"{\"msg\":\"</script>\\\"\\n\"}""#), "\(json.suffix(300))")
        #expect(!json.contains("paperAccount"), "only in simulation")
        #expect(history.json(now: start, account: #"{"balance":[]}"#).hasSuffix(#","paperAccount":{"balance":[]}}"#))
    }
}
