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

@Suite struct RequestWindowSettingsTests {
    private struct Settings: RequestWindowSettings {
        var requestTimeout: Duration = .seconds(7)
        var connectWait: Duration = .seconds(2)
        var maxInFlight = 3
        var maxQueued = 4
        var reconnectInitialDelay: Duration = .milliseconds(50)
        var reconnectMaxDelay: Duration = .seconds(5)
    }

    @Test func aClientConfigurationBecomesTheWindowLimitsAndTheBackoff() {
        let limits = RequestWindow<Int, ContinuousClock.Instant>.Limits(Settings())
        #expect(limits.requestTimeout == .seconds(7) && limits.connectWait == .seconds(2))
        #expect(limits.maxInFlight == 3 && limits.maxQueued == 4 && limits.maxRefusals == 3)
        let backoff = ReconnectBackoff(Settings())
        #expect(backoff.initial == .milliseconds(50) && backoff.maximum == .seconds(5))
    }
}
