import HTTP1
import Testing

@testable import HTTPServer

/// The requests an HTTP/1 connection owes answers to, without a socket: answers leave in
/// request order, an upgrade request blocks what follows, and a `100 Continue` waits its turn.
@Suite("HTTP pipeline")
struct HTTPPipelineTests {
    private func request(_ pipeline: inout HTTPPipeline, upgrade: Bool = false, keepAlive: Bool = true) -> Int {
        pipeline.append(isHead: false, keepAlive: keepAlive, version: .http1_1, isUpgradeRequest: upgrade)
    }

    private func answer(_ text: String) -> HTTPResponse {
        HTTPResponse(body: Array(text.utf8))
    }

    @Test func answersLeaveInRequestOrderWhateverOrderTheyComeIn() {
        var pipeline = HTTPPipeline()
        let first = request(&pipeline)
        let second = request(&pipeline)
        #expect((first, second) == (0, 1))
        #expect(pipeline.count == 2)
        let recorded = pipeline.record(answer("second"), takeOver: nil, for: second)
        #expect(recorded)
        let ready = pipeline.popReady()
        #expect(ready == nil, "the first answer is not made yet")
        #expect(pipeline.heldBodyBytes == 6)
        let recorded2 = pipeline.record(answer("first"), takeOver: nil, for: first)
        #expect(recorded2)
        let ready2 = pipeline.popReady()
        #expect(ready2?.sequence == 0)
        let ready3 = pipeline.popReady()
        #expect(ready3?.sequence == 1)
        let ready4 = pipeline.popReady()
        #expect(ready4 == nil)
        #expect(pipeline.isEmpty)
        #expect(pipeline.nextSequence == 2)
    }

    @Test func aSecondOrLateAnswerIsDropped() {
        var pipeline = HTTPPipeline()
        let sequence = request(&pipeline)
        let recorded = pipeline.record(answer("one"), takeOver: nil, for: sequence)
        #expect(recorded)
        let recorded2 = pipeline.record(answer("two"), takeOver: nil, for: sequence)
        #expect(!recorded2, "answered already")
        let ready = pipeline.popReady()
        #expect(ready?.response?.body == ArraySlice("one".utf8))
        let recorded3 = pipeline.record(answer("three"), takeOver: nil, for: sequence)
        #expect(!recorded3, "already written")
        let recorded4 = pipeline.record(answer("four"), takeOver: nil, for: 7)
        #expect(!recorded4, "never asked")
        let next = request(&pipeline)
        pipeline.removeAll()
        let recorded5 = pipeline.record(answer("five"), takeOver: nil, for: next)
        #expect(!recorded5, "the connection closed")
    }

    @Test func anUpgradeRequestBlocksDecodingUntilItIsAnswered() {
        var pipeline = HTTPPipeline()
        _ = request(&pipeline)
        #expect(!pipeline.awaitsUpgrade)
        let upgrade = request(&pipeline, upgrade: true)
        #expect(pipeline.awaitsUpgrade)
        let recorded = pipeline.record(answer("no"), takeOver: nil, for: upgrade)
        #expect(recorded)
        #expect(pipeline.awaitsUpgrade, "still owed until its turn to be written")
        let ready = pipeline.popReady()
        #expect(ready == nil)
        let recorded2 = pipeline.record(answer("yes"), takeOver: nil, for: 0)
        #expect(recorded2)
        _ = pipeline.popReady()
        let ready2 = pipeline.popReady()
        #expect(ready2?.isUpgradeRequest == true)
        #expect(!pipeline.awaitsUpgrade)
    }

    @Test func aContinueGoesOutAtOnceOnlyWhenNothingIsOwed() {
        var pipeline = HTTPPipeline()
        let sendsNow = pipeline.continueRequested()
        #expect(sendsNow)
        let owed = pipeline.takeOwedContinue()
        #expect(!owed)
        let sequence = request(&pipeline)
        let sendsNow2 = pipeline.continueRequested()
        #expect(!sendsNow2, "an earlier answer is owed")
        #expect(pipeline.continueOwed)
        let owed2 = pipeline.takeOwedContinue()
        #expect(!owed2, "not before that answer")
        let recorded = pipeline.record(answer("ok"), takeOver: nil, for: sequence)
        #expect(recorded)
        _ = pipeline.popReady()
        let owed3 = pipeline.takeOwedContinue()
        #expect(owed3)
        let owed4 = pipeline.takeOwedContinue()
        #expect(!owed4, "once")
    }

    @Test func aContinueOwedIsDroppedOnceItsRequestArrivesOrTheConnectionEnds() {
        var pipeline = HTTPPipeline()
        _ = request(&pipeline)
        _ = pipeline.continueRequested()
        _ = request(&pipeline)
        #expect(!pipeline.continueOwed, "the body came without it")
        _ = pipeline.continueRequested()
        pipeline.removeAll()
        #expect(!pipeline.continueOwed)
        #expect(pipeline.isEmpty)
    }

    @Test func theServersOwnAnswerIsReadyAndEndsTheConnection() {
        var pipeline = HTTPPipeline()
        pipeline.appendFinal(answer("timeout"))
        let slot = pipeline.popReady()
        #expect(slot?.keepAlive == false)
        #expect(slot?.sequence == 0)
        #expect(pipeline.nextSequence == 1)
    }
}
