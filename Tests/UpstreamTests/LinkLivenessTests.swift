import Testing

@testable import Upstream

@Suite struct LinkLivenessTests {
    private let start = ContinuousClock.Instant.now

    private func liveness() -> LinkLiveness {
        LinkLiveness(
            pingInterval: .seconds(30), deadAfter: .seconds(90), handshakeTimeout: .seconds(10), openedAt: start)
    }

    private func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    @Test func aHandshakeWithoutAnAnswerTimesOut() {
        let liveness = liveness()
        #expect(liveness.check(at: at(9), handshaking: true) == .fine)
        #expect(liveness.check(at: at(10), handshaking: true) == .handshakeTimedOut)
    }

    @Test func aQuietLinkGetsOnePingUntilSomethingArrives() {
        var liveness = liveness()
        #expect(liveness.check(at: at(29), handshaking: false) == .fine)
        #expect(liveness.check(at: at(30), handshaking: false) == .ping)
        liveness.pingSent()
        #expect(liveness.check(at: at(45), handshaking: false) == .fine, "one ping outstanding at a time")
        liveness.received(at: at(46))
        #expect(liveness.check(at: at(75), handshaking: false) == .fine)
        #expect(liveness.check(at: at(76), handshaking: false) == .ping, "the answer made room for the next ping")
    }

    @Test func aLinkSilentForDeadAfterIsDeadEvenWithAPingOutstanding() {
        var liveness = liveness()
        liveness.pingSent()
        #expect(liveness.check(at: at(89), handshaking: false) == .fine)
        #expect(liveness.check(at: at(90), handshaking: false) == .dead(silentFor: .seconds(90)))
    }

    @Test func theCheckRunsOftenEnoughForTheShortestLimit() {
        #expect(liveness().checkInterval == .milliseconds(2500))
    }
}
