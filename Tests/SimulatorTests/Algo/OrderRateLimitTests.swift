import Foundation
import Testing

@testable import Simulator

/// ORDERS limits: counted per account on order placements, reported in `rateLimits`, refused with 429/-1015.
@Suite struct OrderRateLimitTests {
    /// A LIMIT buy far below the market: it rests, so every call is a real placement.
    private static let restingBuy = [
        ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.010"),
        ("price", "40000"),
    ]

    private func ordersCounts(_ answer: [String: Any]) -> [Int] {
        SignedExchangeClient.rateLimits(answer).filter { $0["rateLimitType"] as? String == "ORDERS" }.map {
            $0["count"] as! Int
        }
    }

    @Test func ordersAreCountedThenRefusedPerWindow() throws {
        let client = SignedExchangeClient(orderLimit10s: 3, orderLimit1m: 5)
        var counts: [[Int]] = []
        for _ in 0..<3 {
            let answer = try client.signed("order.place", Self.restingBuy)
            #expect(answer["status"] as? Int == 200)
            counts.append(ordersCounts(answer))
        }
        #expect(counts == [[1, 1], [2, 2], [3, 3]])
        let refused = try client.signed("order.place", Self.restingBuy)
        #expect(refused["status"] as? Int == 429)
        #expect(SignedExchangeClient.errorCode(refused) == -1015)
        #expect(
            (refused["error"] as? [String: Any])?["msg"] as? String
                == "Too many new orders; current limit is 3 orders per 10 SECOND.")
        #expect(ordersCounts(refused) == [3, 3])

        client.advance(10_000)  // next 10-second window, same minute
        let algo = try client.signed(
            "algoOrder.place",
            [
                ("algoType", "CONDITIONAL"), ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "STOP_MARKET"),
                ("quantity", "0.010"),
                ("triggerPrice", "50000"),
            ])
        #expect(algo["status"] as? Int == 200)
        #expect(ordersCounts(algo) == [1, 4])
        // A rejected placement still counts (it reached the order checks).
        let rejected = try client.signed("order.place", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET")])
        #expect(SignedExchangeClient.errorCode(rejected) == -1102)
        #expect(ordersCounts(rejected) == [2, 5])
        let minute = try client.signed("order.place", Self.restingBuy)
        #expect(minute["status"] as? Int == 429)
        #expect(
            (minute["error"] as? [String: Any])?["msg"] as? String
                == "Too many new orders; current limit is 5 orders per MINUTE.")

        // Cancels and queries do not count and report REQUEST_WEIGHT only.
        let status = try client.signed("order.status", [("symbol", "BTCUSDT"), ("orderId", "1")])
        #expect(SignedExchangeClient.rateLimits(status).map { $0["rateLimitType"] as? String } == ["REQUEST_WEIGHT"])

        client.advance(60_000)
        #expect(ordersCounts(try client.signed("order.place", Self.restingBuy)) == [1, 1])
    }

    /// The order methods' `rateLimits`: REQUEST_WEIGHT, ORDERS 10 s, ORDERS 1 min, each entry
    /// with the official example's keys, types and default limits.
    @Test func rateLimitEntriesMatchTheFixture() throws {
        let fixture = try FixtureShape.load("order.place.json")
        let expected = (fixture["response"] as! [String: Any])["rateLimits"] as! [[String: Any]]
        func key(_ entry: [String: Any]) -> String {
            "\(entry["rateLimitType"]!)/\(entry["interval"]!)/\(entry["intervalNum"]!)/\(entry["limit"]!)"
        }
        let client = SignedExchangeClient()
        let answer = try client.signed("order.place", Self.restingBuy)
        let entries = SignedExchangeClient.rateLimits(answer)
        #expect(entries.map(key) == ["REQUEST_WEIGHT/MINUTE/1/2400", "ORDERS/SECOND/10/300", "ORDERS/MINUTE/1/1200"])
        #expect(Set(entries.map(key)) == Set(expected.map(key)))
        for entry in entries {
            #expect(FixtureShape.of(entry) == FixtureShape.of(expected[0]))
        }
        let modify = try client.signed(
            "order.modify",
            [
                ("symbol", "BTCUSDT"), ("orderId", String((answer["result"] as! [String: Any])["orderId"] as! Int)),
                ("side", "BUY"),
                ("quantity", "0.020"), ("price", "40000"),
            ])
        #expect(modify["status"] as? Int == 200)
        #expect(ordersCounts(modify) == [2, 2])
    }
}
