import Foundation
import Testing

@testable import Simulator

/// A saved state restores the accounts, orders, fills, income and the market's walk, so a
/// restored exchange answers the next requests exactly as the original would.
@Suite struct ExchangeSnapshotTests {
    @Test func aRestoredExchangeAnswersLikeTheOriginal() throws {
        let session = try RESTClockSession()
        _ = try session.object("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010")
        _ = try session.object(
            "POST", "/fapi/v1/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00")
        _ = try session.server.get("/fapi/v1/depth?symbol=BTCUSDT&limit=5")
        let saved = session.server.exchange.snapshot()

        let copy = SimulatedExchange(seed: 42, clock: { RESTTestServer.now })
        try copy.restore(saved)
        #expect(copy.snapshot() == saved, "restoring and saving again gives the same bytes")
        let original = session.server.exchange
        for exchange in [original, copy] { exchange.setClockOffset(millis: 0) }
        let depth = #"{"id":1,"method":"depth","params":{"symbol":"BTCUSDT","limit":5}}"#
        // The request weight counted this minute is not saved: compare the results only.
        func result(_ exchange: SimulatedExchange) -> Substring {
            let text = String(decoding: exchange.handle(Array(depth.utf8)), as: UTF8.self)
            return text.prefix { $0 != "]" }
        }
        #expect(result(copy) == result(original), "the same next market step")
        #expect(copy.snapshot() == original.snapshot())
    }

    @Test func aStateFromAnotherSeedOrFormatIsRefused() throws {
        let saved = SimulatedExchange(seed: 1).snapshot()
        #expect(throws: ExchangeSnapshotError.self) { try SimulatedExchange(seed: 2).restore(saved) }
        #expect(throws: ExchangeSnapshotError.self) { try SimulatedExchange(seed: 1).restore(Array("{}".utf8)) }
        let other = String(decoding: saved, as: UTF8.self).replacingOccurrences(
            of: #""version":1"#, with: #""version":9"#)
        #expect(throws: ExchangeSnapshotError.self) { try SimulatedExchange(seed: 1).restore(Array(other.utf8)) }
    }
}
