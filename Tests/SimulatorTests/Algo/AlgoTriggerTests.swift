import Foundation
import Testing

@testable import Simulator

/// Algo orders trigger when a market step crosses them, and become real orders and positions.
@Suite struct AlgoTriggerTests {
    private func place(_ harness: inout AlgoHarness, _ params: [String: String]) throws -> AlgoOrder {
        let placed = try harness.object(
            "algoOrder.place", params.merging(["algoType": "CONDITIONAL", "symbol": "BTCUSDT"]) { $1 })
        return harness.algos.orders[Int64(placed["algoId"] as! Int)]!
    }

    @Test func stopMarketTriggersIntoAFilledMarketOrderAndAPosition() throws {
        var harness = AlgoHarness()
        let stop = try place(
            &harness, ["side": "BUY", "type": "STOP_MARKET", "quantity": "0.010", "triggerPrice": "43050"])
        harness.step(to: AlgoHarness.book(bid: 43040_00))  // mid 43040.05: not yet
        #expect(harness.algos.orders[stop.algoId]!.status == .new)
        harness.step(to: AlgoHarness.book(bid: 43050_00))  // mid 43050.05: crossed
        let triggered = harness.algos.orders[stop.algoId]!
        #expect(triggered.status == .finished && triggered.triggerTime == AlgoHarness.now + 1)
        let order = try #require(harness.trading.engine.account("key-1").orders[triggered.actualOrderId])
        #expect(
            order.type == .market && order.status == .filled && order.executedQty == 10
                && order.averagePrice == 43050_10)
        #expect(harness.trading.engine.account("key-1").position("BTCUSDT", .both).amount == 10)
        #expect(harness.error("algoOrder.cancel", ["algoId": String(stop.algoId)]) == -2011)
    }

    @Test func stopLimitRestsAfterTriggerThenFinishesWhenFilled() throws {
        var harness = AlgoHarness()
        let stop = try place(
            &harness,
            [
                "side": "SELL", "type": "STOP", "quantity": "0.010", "triggerPrice": "42950",
                "price": "42900", "timeInForce": "GTC",
            ])
        harness.step(to: AlgoHarness.book(bid: 42949_90))  // mid 42949.95 ≤ 42950: LIMIT SELL 42900 sweeps the bids
        #expect(harness.algos.orders[stop.algoId]!.status == .finished)
        #expect(harness.trading.engine.account("key-1").position("BTCUSDT", .both).amount == -10)

        let takeProfit = try place(
            &harness,
            [
                "side": "BUY", "type": "TAKE_PROFIT", "quantity": "0.010", "triggerPrice": "42800",
                "price": "42700",
            ])
        harness.step(to: AlgoHarness.book(bid: 42790_00))  // triggered, but 42700 is below the asks: it rests
        let resting = harness.algos.orders[takeProfit.algoId]!
        #expect(resting.status == .triggered)
        #expect(harness.trading.engine.account("key-1").orders[resting.actualOrderId]?.status == .new)
        harness.step(to: AlgoHarness.book(bid: 42680_00))  // asks at 42680.10 cross the resting buy
        #expect(harness.algos.orders[takeProfit.algoId]!.status == .finished)
        #expect(harness.trading.engine.account("key-1").position("BTCUSDT", .both).amount == 0)
    }

    @Test func closePositionTakesThePositionSizeOrExpires() throws {
        var harness = AlgoHarness()
        _ = try harness.trading.call(
            "order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.030"]
        ).get()
        let close = try place(
            &harness, ["side": "SELL", "type": "TAKE_PROFIT_MARKET", "closePosition": "true", "triggerPrice": "43200"])
        let idle = try place(
            &harness, ["side": "BUY", "type": "STOP_MARKET", "closePosition": "true", "triggerPrice": "43200"])
        harness.step(to: AlgoHarness.book(bid: 43200_00))
        #expect(harness.algos.orders[close.algoId]!.status == .finished)
        #expect(harness.trading.engine.account("key-1").position("BTCUSDT", .both).amount == 0)
        #expect(harness.algos.orders[idle.algoId]!.status == .expired)  // no short position to close
    }

    @Test func trailingStopFollowsTheHighAndTriggersOnTheCallback() throws {
        var harness = AlgoHarness()
        _ = try harness.trading.call(
            "order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"]
        ).get()
        let trail = try place(
            &harness,
            [
                "side": "SELL", "type": "TRAILING_STOP_MARKET", "quantity": "0.010", "callbackRate": "1",
                "activatePrice": "43100", "reduceOnly": "true",
            ])
        for bid: Int64 in [43050_00, 43200_00, 43500_00, 43100_00] {  // activates at 43200, high 43500.05
            harness.step(to: AlgoHarness.book(bid: bid))
            #expect(harness.algos.orders[trail.algoId]!.status == .new)
        }
        harness.step(to: AlgoHarness.book(bid: 43060_00))  // 1% below 43500.05 is 43065.0495
        #expect(harness.algos.orders[trail.algoId]!.status == .finished)
        #expect(harness.trading.engine.account("key-1").position("BTCUSDT", .both).amount == 0)
    }

    /// Through the exchange: stops on both sides of the market, depth requests walk it until one
    /// triggers; the position shows in `account.position`. The same seed gives the same bytes.
    @Test func theWalkTriggersAStopAndTheRunIsDeterministic() throws {
        func run() throws -> [String] {
            let client = SignedExchangeClient(seed: 11)
            var answers: [String] = []
            let ticker = try FixtureShape.parse(Array(client.publicText("ticker.price", #"{"symbol":"BTCUSDT"}"#).utf8))
            let mid = Int64(
                ((ticker["result"] as! [String: Any])["price"] as! String).replacingOccurrences(of: ".", with: ""))!
            for (side, trigger) in [("BUY", mid + 50), ("SELL", mid - 50)] {
                answers.append(
                    try client.signedText(
                        "algoOrder.place",
                        [
                            ("algoType", "CONDITIONAL"), ("symbol", "BTCUSDT"), ("side", side), ("type", "STOP_MARKET"),
                            ("quantity", "0.010"),
                            ("triggerPrice", SymbolSpec.bySymbol["BTCUSDT"]!.formatPrice(trigger)),
                            ("workingType", "MARK_PRICE"),
                        ]))
            }
            var steps = 0
            while steps < 1000 {
                steps += 1
                client.advance(1)
                answers.append(client.publicText("depth", #"{"symbol":"BTCUSDT","limit":5}"#))
                let position = try client.signed("account.position", [("symbol", "BTCUSDT")])
                if let row = (position["result"] as? [[String: Any]])?.first, row["positionAmt"] as? String != "0.000" {
                    answers.append(try client.signedText("account.position", [("symbol", "BTCUSDT")]))
                    break
                }
                if steps % 100 == 0 { client.advance(60_000) }  // keep under the weight limit
            }
            #expect(steps < 1000)
            return answers
        }
        let first = try run()
        #expect(
            first.last?.contains(#""positionAmt":"0.010""#) == true
                || first.last?.contains(#""positionAmt":"-0.010""#) == true)
        #expect(try run() == first)
    }
}
