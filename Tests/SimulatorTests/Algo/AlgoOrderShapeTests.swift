import Foundation
import Testing

@testable import Simulator

/// `algoOrder.place` / `algoOrder.cancel` answers against the official examples, and the rejections.
@Suite struct AlgoOrderShapeTests {
    static let stopBuy = [
        "algoType": "CONDITIONAL", "symbol": "BTCUSDT", "side": "BUY", "type": "STOP_MARKET", "quantity": "0.010",
        "triggerPrice": "43100",
    ]

    private func fixtureResult(_ file: String) throws -> [String: Any] {
        ((try FixtureShape.load(file))["response"] as! [String: Any])["result"] as! [String: Any]
    }

    private func with(_ changes: [String: String?]) -> [String: String] {
        var params = Self.stopBuy
        for (key, value) in changes { params[key] = value }
        return params
    }

    @Test func placeAndCancelHaveTheFixtureShapes() throws {
        var harness = AlgoHarness()
        let placed = try harness.object(
            "algoOrder.place",
            [
                "algoType": "CONDITIONAL", "symbol": "BTCUSDT", "side": "SELL", "type": "TAKE_PROFIT", "quantity": "1",
                "price": "44000", "triggerPrice": "43500", "timeInForce": "GTC", "newOrderRespType": "RESULT",
            ])
        #expect(FixtureShape.of(placed) == FixtureShape.of(try fixtureResult("algoOrder.place.json")))
        #expect(placed["algoStatus"] as? String == "NEW" && placed["quantity"] as? String == "1.000")
        #expect(placed["triggerPrice"] as? String == "43500.00" && placed["price"] as? String == "44000.00")
        #expect(
            placed["workingType"] as? String == "CONTRACT_PRICE" && (placed["clientAlgoId"] as? String)?.count == 22)
        let text = try harness.call("algoOrder.cancel", ["algoId": String(placed["algoId"] as! Int)]).get()
        let canceled = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(FixtureShape.of(canceled) == FixtureShape.of(try fixtureResult("algoOrder.cancel.json")))
        #expect(text.hasSuffix(#""code":"200","msg":"success"}"#))
        #expect(canceled["clientAlgoId"] as? String == placed["clientAlgoId"] as? String)
    }

    @Test func placeKeysComeInTheFixtureOrder() throws {
        var harness = AlgoHarness()
        let text = try harness.call("algoOrder.place", Self.stopBuy).get()
        let raw = try String(
            contentsOf: FixtureShape.directory.appendingPathComponent("algoOrder.place.json"), encoding: .utf8)
        let block = raw.components(separatedBy: #""result": {"#)[1].components(separatedBy: "}")[0]
        let fixtureKeys = block.split(separator: "\n").compactMap {
            $0.split(separator: "\"").dropFirst().first.map(String.init)
        }
        let ourKeys = text.dropFirst().split(separator: ",").map { String($0.split(separator: "\"")[0]) }
        #expect(ourKeys == fixtureKeys)
    }

    @Test func cancelByClientAlgoIdThenUnknown() throws {
        var harness = AlgoHarness()
        _ = try harness.call("algoOrder.place", with(["clientAlgoId": "my-stop-1"])).get()
        #expect(harness.error("algoOrder.place", with(["clientAlgoId": "my-stop-1"])) == -4116)
        #expect(harness.error("algoOrder.cancel", ["clientAlgoId": "my-stop-1"]) == nil)
        #expect(harness.error("algoOrder.cancel", ["clientAlgoId": "my-stop-1"]) == -2011)
        #expect(harness.error("algoOrder.cancel", ["algoId": "123"]) == -2011)
        #expect(harness.error("algoOrder.cancel", [:]) == -1102)
    }

    /// The book is 43000.00 / 43000.10 (mid 43000.05).
    @Test(
        arguments: [
            (["triggerPrice": "43000"], -2021),  // BUY stop below the market
            (["side": "SELL", "triggerPrice": "43010"], -2021),  // SELL stop above
            (["type": "TAKE_PROFIT_MARKET", "triggerPrice": "43100"], -2021),  // BUY take-profit above
            (["type": "TAKE_PROFIT_MARKET", "side": "SELL", "triggerPrice": "42900"], -2021),
            (["type": "TAKE_PROFIT_MARKET", "triggerPrice": "42900"], nil),
            (["algoType": nil], -1102), (["algoType": "VP"], -1130), (["triggerPrice": nil], -1102),
            (["quantity": nil], -1102),
            (["type": "STOP"], -1102),  // STOP needs a price
            (["type": "LIMIT"], -1116), (["side": "UP"], -1117), (["symbol": "NOPEUSDT"], -1121),
            (["triggerPrice": "43100.05"], -4014), (["quantity": "0.0015"], -1111), (["quantity": "0.001"], -4164),
            (["positionSide": "LONG"], -4061), (["workingType": "INDEX"], -1130), (["clientAlgoId": "bad id!"], -4015),
            (["closePosition": "true"], -1106), (["closePosition": "true", "quantity": nil], nil),
            (["type": "TRAILING_STOP_MARKET", "triggerPrice": nil, "callbackRate": "11"], -1130),
            (
                ["type": "TRAILING_STOP_MARKET", "triggerPrice": nil, "callbackRate": "1", "activatePrice": "43100"],
                -2021
            ),
            (
                ["type": "TRAILING_STOP_MARKET", "triggerPrice": nil, "callbackRate": "1", "activatePrice": "42900"],
                nil
            ),
        ] as [([String: String?], Int?)])
    func validation(_ changes: [String: String?], _ code: Int?) {
        var harness = AlgoHarness()
        #expect(harness.error("algoOrder.place", with(changes)) == code, "\(changes)")
    }

    @Test func conditionalTypesOnOrderPlaceStillNeedAlgo() {
        var harness = TradingHarness()
        #expect(
            harness.error(
                "order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "STOP_MARKET", "quantity": "0.010"])
                == -4120)
    }
}
