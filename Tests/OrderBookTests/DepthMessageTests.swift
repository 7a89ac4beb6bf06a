import Testing

@testable import OrderBook

@Suite struct DepthMessageTests {
    @Test func theReferenceDiffIsRead() throws {
        let payload =
            #"{"e":"depthUpdate","E":1571889248277,"T":1571889248276,"s":"BTCUSDT","U":390497796,"u":390497878,"pu":390497794,"b":[["7403.89","0.002"]],"a":[["7405.96","3.340"]]}"#
        let event = try DepthEvent(parsing: Array(payload.utf8)[...])
        #expect(event.symbol == "BTCUSDT")
        #expect(event.firstUpdateId == 390_497_796)
        #expect(event.finalUpdateId == 390_497_878)
        #expect(event.previousFinalUpdateId == 390_497_794)
        #expect(event.eventTime == 1_571_889_248_277)
        #expect(event.bids.map { $0.price.text } == ["7403.89"])
        #expect(event.asks.map { $0.quantity.text } == ["3.340"])
    }

    @Test func theReferenceSnapshotIsRead() throws {
        let body =
            #"{"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}"#
        let snapshot = try DepthSnapshot(parsing: Array(body.utf8)[...])
        #expect(snapshot.lastUpdateId == 1_027_024)
        #expect(snapshot.bids.map { $0.price.text } == ["4.00000000"])
        #expect(snapshot.asks.map { $0.price.text } == ["4.00000200"])
    }

    @Test(arguments: [
        ("[]", DepthMessageError.malformedJSON),
        (#"{"e":"depthUpdate"}"#, .field("s")),
        (#"{"e":"aggTrade","s":"X"}"#, .field("e")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":5,"u":4,"pu":3,"b":[],"a":[]}"#, .field("U")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":-5,"u":4,"pu":3,"b":[],"a":[]}"#, .field("U")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"u":4,"pu":3,"b":[["1"]],"a":[]}"#, .field("b")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"u":4,"pu":3,"b":[],"a":[[1,2]]}"#, .field("a")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"u":4,"pu":3,"b":[["0","1"]],"a":[]}"#, .field("b")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"u":4,"pu":3,"b":[["1.5","-1"]],"a":[]}"#, .field("b")),
        (#"{"e":"depthUpdate","E":1,"T":1,"s":"X","U":1,"U":1,"u":4,"pu":3,"b":[],"a":[]}"#, .malformedJSON),
    ])
    func malformedDiffsAreRefused(_ payload: String, _ error: DepthMessageError) {
        #expect(throws: error) { try DepthEvent(parsing: Array(payload.utf8)[...]) }
    }
}
