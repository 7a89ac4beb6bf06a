import Foundation
import Testing

@testable import Simulator

/// `stepMarkets`, the paper exchange's timer: the market moves without market-data requests,
/// and a resting order fills once the moving book trades through its price.
@Suite struct MarketStepTests {
    @Test func aRestingOrderFillsAsTheMarketStepsOnItsOwn() throws {
        let session = try RESTClockSession()
        let book = try #require(try session.server.get("/fapi/v1/depth?symbol=ETHUSDT&limit=5").json as? [String: Any])
        let bid = try #require((book["bids"] as? [[String]])?.first?.first)
        let update = try #require(book["lastUpdateId"] as? Int)
        let placed = try session.object(
            "POST", "/fapi/v1/order",
            "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=\(bid)")
        #expect(placed["status"] as? String == "NEW")
        var steps = 0
        while steps < 2_000, try session.rows("/fapi/v1/openOrders", "symbol=ETHUSDT").count == 1 {
            session.server.exchange.stepMarkets()
            steps += 1
        }
        #expect(steps < 2_000, "the walk never traded through \(bid)")
        let order = try session.object(
            "GET", "/fapi/v1/order", "symbol=ETHUSDT&orderId=\(placed["orderId"] as? Int ?? 0)")
        #expect(order["status"] as? String == "FILLED" && order["avgPrice"] as? String == bid)
        let trades = try session.rows("/fapi/v1/userTrades", "symbol=ETHUSDT")
        #expect(trades.count == 1 && trades.first?["maker"] as? Bool == true)
        let later = try #require(try session.server.get("/fapi/v1/depth?symbol=ETHUSDT&limit=5").json as? [String: Any])
        #expect(
            later["lastUpdateId"] as? Int == update + 7 * (steps + 1), "one book step per timer step and per request")
    }
}
