import Testing

@testable import HTTPServer

/// An upgraded connection's state without a socket: which events move it where, and what each asks the connection to do.
@Suite("Upgraded connection state")
struct UpgradedConnectionStateTests {
    private func running() -> UpgradedConnectionState {
        var state = UpgradedConnectionState(peerClosed: false)
        state.start()
        #expect(state.begin() == .deliverPending)
        let step1 = state.pendingDelivered()
        #expect(step1 == .startReading(shutdown: false))
        return state
    }

    @Test func aTakenConnectionReadsOnlyOnceThePendingBytesAreDelivered() {
        var state = UpgradedConnectionState(peerClosed: false)
        #expect(!state.isReading)
        #expect(state.acceptsWrites, "a 101's remaining output and early writes are queued")
        #expect(state.interest == SocketInterest(readable: false, writable: false))
        state.start()
        #expect(state.state == .waiting(started: true, peerClosed: false, shutdownRequested: false))
        #expect(!state.isReading)
        #expect(state.begin() == .deliverPending)
        let step2 = state.pendingDelivered()
        #expect(step2 == .startReading(shutdown: false))
        #expect(state.state == .running)
        #expect(state.isReading)
        #expect(state.interest == SocketInterest(readable: true, writable: false))
    }

    @Test func aPeerThatClosedBeforeTheUpgradeIsClosedAfterThePendingBytes() {
        var state = UpgradedConnectionState(peerClosed: true)
        state.start()
        #expect(state.begin() == .deliverPending, "what came before the close is still delivered")
        let step3 = state.pendingDelivered()
        #expect(step3 == .close)
        let step4 = state.closeNow()
        #expect(step4)
        #expect(state.mustFinish)
    }

    @Test func aShutdownBeforeTheTakerRunsWaitsForIt() {
        var state = UpgradedConnectionState(peerClosed: false)
        let step5 = state.shutdown()
        #expect(step5 == .none)
        state.start()
        #expect(state.state == .waiting(started: true, peerClosed: false, shutdownRequested: true))
        #expect(state.begin() == .deliverPending)
        let step6 = state.pendingDelivered()
        #expect(step6 == .startReading(shutdown: true))
        let step7 = state.shutdown()
        #expect(step7 == .notifyTaker)
    }

    @Test func aConnectionClosedBeforeStartTellsTheTakerWhenItStarts() {
        var state = UpgradedConnectionState(peerClosed: false)
        let step8 = state.closeNow()
        #expect(step8)
        #expect(!state.mustFinish, "no taker to tell yet")
        state.start()
        #expect(state.mustFinish)
        #expect(state.begin() == .finish)
        let step9 = state.pendingDelivered()
        #expect(step9 == .none)
        #expect(state.interest == nil)
    }

    @Test func aCloseWithNothingBufferedIsImmediateAndHappensOnce() {
        var state = running()
        let step10 = state.close(afterFlushing: true, bufferedByteCount: 0)
        #expect(step10 == .closeNow)
        let step11 = state.closeNow()
        #expect(step11)
        #expect(state.mustFinish)
        let step12 = state.closeNow()
        #expect(!step12, "the socket closes once")
        let step13 = state.close(afterFlushing: false, bufferedByteCount: 0)
        #expect(step13 == .none)
        let step14 = state.shutdown()
        #expect(step14 == .none)
        #expect(!state.acceptsWrites)
        #expect(!state.isReading)
    }

    @Test func aCloseAfterFlushingStopsReadingAndWritingThenClosesWhenFlushed() {
        var state = running()
        state.writeWouldBlock()
        let step15 = state.close(afterFlushing: true, bufferedByteCount: 10)
        #expect(step15 == .stopReading)
        #expect(state.state == .draining)
        #expect(!state.isReading)
        #expect(!state.acceptsWrites)
        #expect(state.interest == SocketInterest(readable: false, writable: true))
        let step16 = state.shutdown()
        #expect(step16 == .notifyTaker, "a draining connection still hears of the shutdown")
        let step17 = state.flushed()
        #expect(step17 == .closeNow)
    }

    @Test func aCloseNowWhileDrainingDropsTheRest() {
        var state = running()
        let step18 = state.close(afterFlushing: true, bufferedByteCount: 10)
        #expect(step18 == .stopReading)
        let step19 = state.close(afterFlushing: false, bufferedByteCount: 10)
        #expect(step19 == .closeNow)
        let step20 = state.closeNow()
        #expect(step20)
        #expect(state.state == .closed(started: true))
    }

    @Test func writesWaitForABlockedSocketAndForTheDelivery() {
        var state = running()
        #expect(state.canFlushNow)
        state.deliveryBegan()
        #expect(!state.canFlushNow, "writes made by onBytes go out together afterwards")
        let step21 = state.deliveryEnded(hasOutput: true)
        #expect(step21)
        state.deliveryBegan()
        let step22 = state.deliveryEnded(hasOutput: false)
        #expect(!step22)
        state.writeWouldBlock()
        #expect(!state.canFlushNow)
        #expect(state.interest == SocketInterest(readable: true, writable: true))
        state.deliveryBegan()
        let step23 = state.deliveryEnded(hasOutput: true)
        #expect(!step23, "a blocked socket is flushed when writable")
        let step24 = state.flushed()
        #expect(step24 == .updateInterest)
        #expect(state.canFlushNow)
        #expect(state.interest == SocketInterest(readable: true, writable: false))
    }

    @Test func aCloseDuringTheFirstDeliveryNeverStartsReading() {
        var state = UpgradedConnectionState(peerClosed: false)
        state.start()
        #expect(state.begin() == .deliverPending)
        let step25 = state.close(afterFlushing: true, bufferedByteCount: 3)
        #expect(step25 == .stopReading)
        let step26 = state.pendingDelivered()
        #expect(step26 == .none)
        #expect(!state.isReading)
    }
}
