import RequestWindow
import Testing

@Suite struct ConnectionLifecycleTests {
    @Test func aFirstConnectionGoesFromDisconnectedThroughConnectingToConnected() {
        var lifecycle = ConnectionLifecycle()
        #expect(lifecycle.state == .disconnected && lifecycle.active == nil)
        let generation = lifecycle.beginConnect()
        #expect(generation == 0 && lifecycle.state == .connecting(generation: 0, serving: nil))
        #expect(lifecycle.active == nil && lifecycle.isConnecting)
        #expect(lifecycle.opened(0) == .active(replaced: nil))
        #expect(lifecycle.state == .connected(generation: 0) && lifecycle.active == 0)
    }

    @Test func onlyOneAttemptRunsAtATime() {
        var lifecycle = ConnectionLifecycle()
        let first = lifecycle.beginConnect()
        let second = lifecycle.beginConnect()
        #expect(first == 0 && second == nil)
    }

    @Test func aFailedAttemptLeavesTheClientDisconnectedAndTheNextGetsANewGeneration() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        lifecycle.failed(0)
        #expect(lifecycle.state == .disconnected)
        let next = lifecycle.beginConnect()
        #expect(next == 1)
        #expect(lifecycle.opened(0) == .unwanted, "a late success of an old attempt is closed")
    }

    @Test func aReplacementIsOpenedWhileTheOldConnectionServes() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        _ = lifecycle.opened(0)
        let next = lifecycle.beginConnect()
        #expect(next == 1 && lifecycle.state == .connecting(generation: 1, serving: 0))
        #expect(lifecycle.active == 0, "requests keep flowing during the make-before-break")
        #expect(lifecycle.opened(1) == .active(replaced: 0))
        #expect(lifecycle.active == 1)
    }

    @Test func aFailedReplacementKeepsTheOldConnectionServing() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        _ = lifecycle.opened(0)
        _ = lifecycle.beginConnect()
        lifecycle.failed(1)
        #expect(lifecycle.state == .connected(generation: 0))
    }

    @Test func losingTheServingConnectionDuringAReplacementKeepsTheAttempt() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        _ = lifecycle.opened(0)
        _ = lifecycle.beginConnect()
        let wasServing = lifecycle.lost(0)
        #expect(wasServing)
        #expect(lifecycle.state == .connecting(generation: 1, serving: nil) && lifecycle.active == nil)
        #expect(lifecycle.beginConnect() == nil, "the replacement under way is the reconnect")
        #expect(lifecycle.opened(1) == .active(replaced: nil))
    }

    @Test func losingAConnectionThatNoLongerServesChangesNothing() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        _ = lifecycle.opened(0)
        _ = lifecycle.beginConnect()
        _ = lifecycle.opened(1)
        let oldWasServing = lifecycle.lost(0)
        #expect(!oldWasServing, "the drained old connection closing")
        #expect(lifecycle.state == .connected(generation: 1))
        let currentWasServing = lifecycle.lost(1)
        #expect(currentWasServing && lifecycle.state == .disconnected)
    }

    @Test func afterStopNothingOpensAndALateConnectionIsUnwanted() {
        var lifecycle = ConnectionLifecycle()
        _ = lifecycle.beginConnect()
        lifecycle.stop()
        #expect(lifecycle.isStopped && lifecycle.active == nil)
        #expect(lifecycle.opened(0) == .unwanted)
        lifecycle.failed(0)
        let wasServing = lifecycle.lost(0)
        #expect(!wasServing)
        #expect(lifecycle.beginConnect() == nil && lifecycle.state == .stopped)
    }
}
