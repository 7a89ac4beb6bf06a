import Testing

@testable import HTTPServer

/// A connection's decoding turns without a loop: a pass yields once its share is done, and one
/// continuation at most is queued for it.
@Suite("Decode turn")
struct DecodeTurnTests {
    @Test func aPassThatDoesNotYieldLeavesNothingQueued() {
        var turn = DecodeTurn.idle
        turn.begin()
        #expect(turn.isDecoding)
        turn.end()
        #expect(turn == .idle)
    }

    @Test func aYieldingPassQueuesOneContinuationWhichStartsTheNextPass() {
        var turn = DecodeTurn.idle
        turn.begin()
        let queues = turn.yield()
        #expect(queues, "queue the continuation")
        turn.end()
        #expect(turn == .queued)
        #expect(!turn.isDecoding)
        turn.continuationRuns()
        #expect(turn == .idle)
        turn.begin()
        #expect(turn == .decoding(nextQueued: false))
    }

    @Test func aPassStartedWhileAContinuationIsQueuedDoesNotQueueAnother() {
        var turn = DecodeTurn.idle
        turn.begin()
        let queues = turn.yield()
        #expect(queues)
        turn.end()
        turn.begin()  // an answer arrives and decodes what is left
        #expect(turn == .decoding(nextQueued: true))
        let queues2 = turn.yield()
        #expect(!queues2, "one is queued already")
        turn.end()
        #expect(turn == .queued, "the queued continuation still runs")
        turn.continuationRuns()
        #expect(turn == .idle)
    }
}
