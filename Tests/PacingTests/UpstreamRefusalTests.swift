import Testing

@testable import Pacing

/// Holds after an upstream 429 or 418: what they stop, for how long, and their release.
@Suite struct UpstreamRefusalTests {
    @Test func aWeight429HoldsEveryRequestUntilTheMinuteEnds() {
        let clock = PinnedClock(PinnedClock.minuteStart + 42_000)
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.upstreamRefused(
            status: 429, code: -1003, message: "Too many requests; current limit is 2400 requests per minute.",
            retryAfterSeconds: nil)
        #expect(
            limiter.admit(weight: 1, orders: 0)
                == .refused(
                    kind: .requestWeight, retryAfterMillis: 18_000,
                    reason:
                        "REQUEST_WEIGHT held after an upstream 429 (-1003) until \(PinnedClock.minuteStart + 60_000)"))
        #expect(limiter.admit(weight: 0, orders: 1).retryAfter == 18_000, "the IP is refused: orders too")
        clock.advance(17_999)
        #expect(limiter.admit(weight: 1, orders: 0).retryAfter == 1)
        clock.advance(1)
        #expect(limiter.admit(weight: 1, orders: 1) == .allowed)
    }

    @Test func retryAfterSetsTheHold() {
        let clock = PinnedClock(PinnedClock.minuteStart + 42_000)
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.upstreamRefused(status: 429, code: -1003, message: "Too many requests.", retryAfterSeconds: 7)
        #expect(limiter.admit(weight: 1, orders: 0).retryAfter == 7_000)
        clock.advance(7_000)
        #expect(limiter.admit(weight: 1, orders: 0) == .allowed)
    }

    @Test func anOrders429HoldsOrdersOnlyUntilTheNamedWindowEnds() {
        let clock = PinnedClock(PinnedClock.minuteStart + 3_000)
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.upstreamRefused(
            status: 429, code: -1015, message: "Too many new orders; current limit is 300 orders per 10 SECOND.",
            retryAfterSeconds: nil)
        #expect(limiter.admit(weight: 1, orders: 1).refusedKind == .orders)
        #expect(limiter.admit(weight: 0, orders: 1).retryAfter == 7_000)
        #expect(limiter.admit(weight: 1, orders: 0) == .allowed)
        limiter.upstreamRefused(
            status: 429, code: -1015, message: "Too many new orders; current limit is 1200 orders per MINUTE.",
            retryAfterSeconds: nil)
        #expect(limiter.admit(weight: 0, orders: 1).retryAfter == 57_000)
    }

    @Test func a418BanIsReadFromTheMessageAndStopsEverything() {
        let clock = PinnedClock(1_699_999_700_000)
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.upstreamRefused(
            status: 418, code: -1003,
            message: "Way too many requests; IP banned until 1700000000000. "
                + "Please use the websocket for live updates to avoid bans.", retryAfterSeconds: 30)
        let refused = limiter.admit(weight: 1, orders: 0)
        #expect(refused.refusedKind == .requestWeight && refused.retryAfter == 300_000)
        #expect(limiter.admit(weight: 0, orders: 1).retryAfter == 300_000)
        #expect(limiter.admit(weight: 0, orders: 0).retryAfter == 300_000)
        clock.set(1_700_000_000_000)
        #expect(limiter.admit(weight: 1, orders: 1) == .allowed)
    }

    @Test func a418WithoutATimeFallsBackToRetryAfterThenTwoMinutes() {
        let clock = PinnedClock()
        let withHeader = RateLimitGuard(clock: clock.read)
        withHeader.upstreamRefused(status: 418, code: -1003, message: "banned", retryAfterSeconds: 90)
        #expect(withHeader.admit(weight: 1, orders: 0).retryAfter == 90_000)
        let bare = RateLimitGuard(clock: clock.read)
        bare.upstreamRefused(status: 418, code: 0, message: "", retryAfterSeconds: nil)
        #expect(bare.admit(weight: 1, orders: 0).retryAfter == 120_000)
    }

    @Test func otherStatusesAndPastBansChangeNothing() {
        let clock = PinnedClock()
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.upstreamRefused(status: 400, code: -1102, message: "x", retryAfterSeconds: 5)
        limiter.upstreamRefused(status: 503, code: -1008, message: "Request throttled", retryAfterSeconds: nil)
        limiter.upstreamRefused(status: 418, code: -1003, message: "IP banned until 1000.", retryAfterSeconds: nil)
        #expect(limiter.admit(weight: 1, orders: 1) == .allowed)
    }

    @Test func messagesNameTheirWindow() {
        #expect(UpstreamBan.intervalMillis("current limit is 300 orders per 10 SECOND.") == 10_000)
        #expect(UpstreamBan.intervalMillis("current limit is 1200 orders per MINUTE.") == 60_000)
        #expect(UpstreamBan.intervalMillis("no window here") == nil)
        #expect(UpstreamBan.bannedUntil("IP banned until 1700000000000. Please") == 1_700_000_000_000)
        #expect(UpstreamBan.bannedUntil("IP banned until soon") == nil)
    }
}
