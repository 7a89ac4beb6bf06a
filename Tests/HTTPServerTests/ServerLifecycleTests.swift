import Testing

@testable import HTTPServer

/// The server's lifecycle without a socket: which events move it where, and what each asks the server to do.
@Suite("Server lifecycle")
struct ServerLifecycleTests {
    private func listening() -> ServerLifecycle {
        var lifecycle = ServerLifecycle()
        lifecycle.started()
        return lifecycle
    }

    @Test func aStartedServerAcceptsUntilItShutsDown() {
        var lifecycle = ServerLifecycle()
        #expect(!lifecycle.isAccepting)
        lifecycle.started()
        #expect(lifecycle.isAccepting)
        let step1 = lifecycle.shutdown()
        #expect(step1 == .closeListener(resumeFirst: false))
        #expect(!lifecycle.isAccepting)
        #expect(lifecycle.state == .draining(listenerOpen: true))
    }

    @Test func aPausedListenerIsResumedBeforeItIsCancelled() {
        var lifecycle = listening()
        let step2 = lifecycle.pauseAccepting()
        #expect(step2)
        let step3 = lifecycle.pauseAccepting()
        #expect(!step3, "a second pause while paused does nothing")
        let step4 = lifecycle.shutdown()
        #expect(step4 == .closeListener(resumeFirst: true))
        let step5 = lifecycle.resumeAccepting()
        #expect(!step5, "the pause's timer finds the server shutting down")
    }

    @Test func aPauseEndsOnce() {
        var lifecycle = listening()
        let step6 = lifecycle.resumeAccepting()
        #expect(!step6, "nothing to resume when not paused")
        let step7 = lifecycle.pauseAccepting()
        #expect(step7)
        let step8 = lifecycle.resumeAccepting()
        #expect(step8)
        #expect(lifecycle.state == .listening(acceptPaused: false))
        let step9 = lifecycle.resumeAccepting()
        #expect(!step9)
    }

    @Test func shutdownCompletesOnlyWithTheListenerClosedAndNoConnectionLeft() {
        var lifecycle = listening()
        _ = lifecycle.shutdown()
        let step10 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(!step10, "the listener is still open")
        lifecycle.listenerClosed()
        let step11 = lifecycle.shutdownComplete(openConnections: 2)
        #expect(!step11)
        let step12 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(step12)
        #expect(lifecycle.state == .stopped)
    }

    @Test func aSecondShutdownOnlyChecksCompletion() {
        var lifecycle = listening()
        _ = lifecycle.shutdown()
        let step13 = lifecycle.shutdown()
        #expect(step13 == .checkCompletion)
        lifecycle.listenerClosed()
        let step14 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(step14)
        let step15 = lifecycle.shutdown()
        #expect(step15 == .checkCompletion)
        let step16 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(step16, "a later shutdown completes at once")
    }

    @Test func aServerNeverStartedShutsDownAtOnce() {
        var lifecycle = ServerLifecycle()
        let step17 = lifecycle.shutdown()
        #expect(step17 == .checkCompletion)
        let step18 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(step18)
    }

    @Test func aRunningServerIsNeverComplete() {
        var lifecycle = listening()
        let step19 = lifecycle.shutdownComplete(openConnections: 0)
        #expect(!step19)
        lifecycle.listenerClosed()
        #expect(lifecycle.state == .listening(acceptPaused: false), "a listener closes only in a shutdown")
    }
}
