import RequestWindow
import Testing

@testable import RESTClient

@Suite struct RESTClientStateTests {
    private let start = ContinuousClock.Instant.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    /// Connections are names; the backoff waits 200 ms after one failure, 400 after two (its
    /// jitter pinned at 1).
    private func makeState(learnsHTTP1: Bool = false) -> RESTClientState<String> {
        RESTClientState(
            backoff: ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1)), learnsHTTP1: learnsHTTP1,
            jitter: { 1 })
    }

    /// A state serving connection "c0", generation 0.
    private func serving(protocolName: String = "h2") -> RESTClientState<String> {
        var state = makeState()
        #expect(state.ensureConnection(at: at(0)) == .connect(generation: 0, http1: false))
        #expect(
            state.connected(0, connection: "c0", protocolName: protocolName, at: at(0))
                == .serving(fellBackToHTTP1: false))
        return state
    }

    @Test func theFirstRequestConnectsAndOnlyOneAttemptRunsAtATime() {
        var state = makeState()
        #expect(state.active == nil && state.isDisconnected)
        #expect(state.ensureConnection(at: at(0)) == .connect(generation: 0, http1: false))
        #expect(state.ensureConnection(at: at(1)) == .none)
        #expect(state.connected(0, connection: "c0", protocolName: "h2", at: at(2)) == .serving(fellBackToHTTP1: false))
        #expect(state.active?.connection == "c0")
        #expect(state.ensureConnection(at: at(3)) == .none)
        #expect(state.connectionsOpened == 1 && state.lastProtocol == "h2")
    }

    @Test func aFailedConnectWaitsOutTheBackoffWithOneRetryArmed() {
        var state = makeState()
        _ = state.ensureConnection(at: at(0))
        #expect(state.connectFailed(0, at: at(10)) == 1)
        #expect(state.isDisconnected)
        #expect(state.ensureConnection(at: at(20)) == .armRetry(after: .milliseconds(190)))
        #expect(state.ensureConnection(at: at(30)) == .none, "one retry armed at a time")
        #expect(state.retryDue(at: at(210)) == .connect(generation: 1, http1: false))
        #expect(state.connectFailed(1, at: at(300)) == 2)
        #expect(state.retryDue(at: at(310)) == .armRetry(after: .milliseconds(390)), "400 ms after the second failure")
    }

    @Test func anAnswerResetsTheBackoff() {
        var state = makeState()
        _ = state.ensureConnection(at: at(0))
        _ = state.connectFailed(0, at: at(0))
        #expect(state.retryDue(at: at(199)) == .armRetry(after: .milliseconds(1)))
        #expect(state.retryDue(at: at(200)) == .connect(generation: 1, http1: false))
        _ = state.connected(1, connection: "c1", protocolName: "h2", at: at(200))
        state.answered(on: 1)
        #expect(state.backoff.failures == 0)
        #expect(state.slots[1]?.answered == true)
    }

    @Test func aConnectionLostBeforeAnyAnswerWithRequestsOnItBacksOff() {
        var state = serving()
        let wasActive = state.connectionClosed(0, lostRequests: 3, at: at(50))
        #expect(wasActive)
        #expect(state.slots.isEmpty && state.isDisconnected)
        #expect(state.ensureConnection(at: at(60)) == .armRetry(after: .milliseconds(190)))
    }

    @Test func aConnectionLostAfterAnAnswerOrWithNothingOnItReconnectsAtOnce() {
        var answered = serving()
        answered.answered(on: 0)
        let answeredWasActive = answered.connectionClosed(0, lostRequests: 3, at: at(50))
        #expect(answeredWasActive)
        #expect(answered.ensureConnection(at: at(50)) == .connect(generation: 1, http1: false))
        var idle = serving()
        let idleWasActive = idle.connectionClosed(0, lostRequests: 0, at: at(50))
        #expect(idleWasActive)
        #expect(idle.ensureConnection(at: at(50)) == .connect(generation: 1, http1: false))
    }

    @Test func aRetiredConnectionDrainsThenClosesWhileANewOneTakesOver() {
        var state = serving()
        #expect(state.retire(0, inFlight: 2) == nil, "requests still in flight")
        #expect(state.active == nil)
        #expect(state.slots[0]?.phase == .draining(answered: false))
        #expect(state.closeIfDrained(0, inFlight: 1) == nil)
        #expect(state.ensureConnection(at: at(1)) == .connect(generation: 1, http1: false))
        #expect(state.closeIfDrained(0, inFlight: 0) == "c0")
        let wasActive = state.connectionClosed(0, lostRequests: 0, at: at(2))
        #expect(!wasActive, "it no longer took requests")
        #expect(state.slots[0] == nil)
    }

    @Test func aServingConnectionIsNeverClosedAsDrained() {
        let state = serving()
        #expect(state.closeIfDrained(0, inFlight: 0) == nil)
    }

    @Test func anAnswerOnADrainingConnectionStillCounts() {
        var state = serving()
        _ = state.retire(0, inFlight: 1)
        state.answered(on: 0)
        #expect(state.slots[0]?.phase == .draining(answered: true))
    }

    @Test func aConnectionIsIdleOnlyWithNothingInFlightForTheWholeTimeout() {
        var state = serving()
        state.touch(0, at: at(1_000))
        #expect(!state.isIdle(0, inFlight: 0, idle: .seconds(5), at: at(5_999)))
        #expect(state.isIdle(0, inFlight: 0, idle: .seconds(5), at: at(6_000)))
        #expect(!state.isIdle(0, inFlight: 1, idle: .seconds(5), at: at(6_000)))
        #expect(!state.isIdle(7, inFlight: 0, idle: .seconds(5), at: at(6_000)), "an unknown connection")
    }

    @Test func autoOverPlainTCPRemembersAServerWithoutH2c() {
        var state = makeState(learnsHTTP1: true)
        _ = state.ensureConnection(at: at(0))
        #expect(
            state.connected(0, connection: "c0", protocolName: "http/1.1", at: at(0)) == .serving(fellBackToHTTP1: true)
        )
        _ = state.retire(0, inFlight: 0)
        #expect(state.ensureConnection(at: at(1)) == .connect(generation: 1, http1: true))
        #expect(
            state.connected(1, connection: "c1", protocolName: "http/1.1", at: at(1))
                == .serving(fellBackToHTTP1: false))
    }

    @Test func aModeThatDoesNotLearnKeepsAskingForItsOwnProtocol() {
        var state = makeState(learnsHTTP1: false)
        _ = state.ensureConnection(at: at(0))
        #expect(
            state.connected(0, connection: "c0", protocolName: "http/1.1", at: at(0))
                == .serving(fellBackToHTTP1: false))
        _ = state.retire(0, inFlight: 0)
        #expect(state.ensureConnection(at: at(1)) == .connect(generation: 1, http1: false))
    }

    @Test func aStoppedClientOpensNothingAndClosesWhatItHas() {
        var state = makeState()
        _ = state.ensureConnection(at: at(0))
        #expect(state.stop() == [])
        #expect(state.connected(0, connection: "late", protocolName: "h2", at: at(1)) == .unwanted)
        #expect(state.ensureConnection(at: at(2)) == .none)
        var busy = serving()
        #expect(busy.stop() == ["c0"])
        #expect(busy.isStopped && busy.active == nil)
    }

    @Test func aStaleAttemptIsUnwanted() {
        var state = makeState()
        _ = state.ensureConnection(at: at(0))
        _ = state.connectFailed(0, at: at(0))
        #expect(state.connected(0, connection: "late", protocolName: "h2", at: at(1)) == .unwanted)
        #expect(state.connectionsOpened == 0)
    }
}
