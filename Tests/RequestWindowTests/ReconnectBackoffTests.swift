import RequestWindow
import Testing

@Suite struct ReconnectBackoffTests {
    @Test func theDelayDoublesWithEachFailureUpToTheCap() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        var ceilings: [Duration] = []
        for _ in 0..<6 {
            ceilings.append(backoff.delay(jitter: 1))
            backoff.recordFailure()
        }
        #expect(ceilings == [100, 200, 400, 800, 1000, 1000].map(Duration.milliseconds))
    }

    @Test func jitterScalesTheCeilingDownToHalf() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        backoff.recordFailure()
        #expect(backoff.delay(jitter: 0.5) == .milliseconds(100))
        #expect(backoff.delay(jitter: 0.75) == .milliseconds(150))
        #expect((Duration.milliseconds(100)...Duration.milliseconds(200)).contains(backoff.randomDelay()))
    }

    @Test func aResetStartsFromTheFirstDelayAgain() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        for _ in 0..<30 { backoff.recordFailure() }
        #expect(backoff.delay(jitter: 1) == .seconds(1), "many failures stay at the cap")
        backoff.reset()
        #expect(backoff.failures == 0 && backoff.delay(jitter: 1) == .milliseconds(100))
    }

    @Test func delaysAreWholeMilliseconds() {
        let backoff = ReconnectBackoff(initial: .milliseconds(3), maximum: .seconds(1))
        #expect(backoff.delay(jitter: 0.5) == .milliseconds(1))
    }
}
