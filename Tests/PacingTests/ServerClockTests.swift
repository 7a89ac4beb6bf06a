import Testing

@testable import Pacing

/// The offset math: server time against the midpoint of the round trip.
@Suite struct ServerClockTests {
    @Test func theOffsetIsServerTimeMinusTheMidpoint() {
        let local = PinnedClock(1_000_000)
        let clock = ServerClock(localClock: local.read)
        #expect(clock.offsetMillis == 0 && clock.now() == 1_000_000)
        clock.record(serverTime: 1_030_500, sentAt: 1_000_000, receivedAt: 1_000_200)
        #expect(clock.offsetMillis == 30_400)
        #expect(clock.now() == 1_030_400)
        local.advance(1_000)
        #expect(clock.now() == 1_031_400)
    }

    @Test func aServerBehindUsGivesANegativeOffsetAndTheLatestSampleWins() {
        let local = PinnedClock(2_000_000)
        let clock = ServerClock(localClock: local.read)
        clock.record(serverTime: 1_970_000, sentAt: 2_000_000, receivedAt: 2_000_010)
        #expect(clock.offsetMillis == -30_005)
        clock.record(serverTime: 2_000_105, sentAt: 2_000_100, receivedAt: 2_000_100)
        #expect(clock.offsetMillis == 5)
        #expect(clock.now() == 2_000_005)
    }

    @Test func theDefaultLocalClockIsTheWallClock() {
        let now = ServerClock().now()
        #expect(now > 1_700_000_000_000 && now < 4_000_000_000_000)
    }
}
