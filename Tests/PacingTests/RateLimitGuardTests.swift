import Testing

@testable import Pacing

/// Local admission against Binance's limits with a pinned clock: weight, ORDERS in both windows,
/// epoch-aligned rollover.
@Suite struct RateLimitGuardTests {
    func count(_ guard: RateLimitGuard, _ kind: RateLimitKind, _ interval: Int64) -> Int? {
        `guard`.snapshot().first { $0.rule.kind == kind && $0.rule.intervalMillis == interval }?.count
    }

    @Test func weightIsAdmittedUpToTheLimitThenRefused() {
        let clock = PinnedClock(PinnedClock.minuteStart + 15_000)
        let limiter = RateLimitGuard(clock: clock.read)
        #expect(limiter.admit(weight: 2000, orders: 0) == .allowed)
        #expect(limiter.admit(weight: 400, orders: 0) == .allowed)
        let refused = limiter.admit(weight: 1, orders: 0)
        #expect(refused.refusedKind == .requestWeight)
        #expect(refused.retryAfter == 45_000, "until the minute ends")
        #expect(count(limiter, .requestWeight, 60_000) == 2400, "a refusal counts nowhere")
        if case .refused(_, _, let reason) = refused { #expect(reason.contains("REQUEST_WEIGHT 2400 per 1 MINUTE")) }
        #expect(limiter.snapshot().first?.windowEndsMillis == PinnedClock.minuteStart + 60_000)
    }

    @Test func windowsRollOverAtEpochAlignedBoundaries() {
        let clock = PinnedClock(PinnedClock.minuteStart + 59_999)
        let limiter = RateLimitGuard(clock: clock.read)
        #expect(limiter.admit(weight: 2400, orders: 0) == .allowed)
        #expect(limiter.admit(weight: 1, orders: 0).retryAfter == 1)
        clock.advance(1)
        #expect(count(limiter, .requestWeight, 60_000) == 0)
        #expect(limiter.admit(weight: 2400, orders: 0) == .allowed)
    }

    @Test func ordersCountInTheTenSecondAndTheMinuteWindows() {
        let clock = PinnedClock()
        let limiter = RateLimitGuard(clock: clock.read)
        for window in 0..<4 {
            for _ in 0..<300 { #expect(limiter.admit(weight: 0, orders: 1) == .allowed) }
            let refused = limiter.admit(weight: 0, orders: 1)
            // The fourth 10 s window also fills the minute (1200): then the minute's end decides.
            #expect(
                refused.refusedKind == .orders && refused.retryAfter == (window < 3 ? 10_000 : 30_000),
                "window \(window)")
            clock.advance(10_000)
        }
        // 1200 this minute: the minute rule refuses until it ends, 20 s away.
        #expect(count(limiter, .orders, 60_000) == 1200 && count(limiter, .orders, 10_000) == 0)
        let refused = limiter.admit(weight: 1, orders: 1)
        #expect(refused.refusedKind == .orders && refused.retryAfter == 20_000)
        #expect(limiter.admit(weight: 1, orders: 0) == .allowed, "weight alone still goes")
        clock.advance(20_000)
        #expect(limiter.admit(weight: 0, orders: 1) == .allowed)
    }

    @Test func aRequestNeedsRoomInEveryRule() {
        let clock = PinnedClock()
        let rules = [
            RateLimitRule(kind: .requestWeight, intervalMillis: 60_000, limit: 10),
            RateLimitRule(kind: .orders, intervalMillis: 10_000, limit: 1),
        ]
        let limiter = RateLimitGuard(rules: rules, clock: clock.read)
        #expect(limiter.admit(weight: 5, orders: 1) == .allowed)
        #expect(limiter.admit(weight: 5, orders: 1).refusedKind == .orders)
        #expect(count(limiter, .requestWeight, 60_000) == 5, "the refused request's weight is not counted")
        #expect(limiter.admit(weight: 6, orders: 0).refusedKind == .requestWeight)
    }
}
