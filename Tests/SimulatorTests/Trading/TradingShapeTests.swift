import Foundation
import Testing

@testable import Simulator

/// Every trading and account answer has the official example's keys and JSON types.
@Suite struct TradingShapeTests {
    /// The fixture's result; trailing-stop-only keys dropped (our orders are LIMIT/MARKET).
    private func fixtureResult(_ file: String, sdk: Bool = false) throws -> Any {
        let fixture = try FixtureShape.load(file)
        let result = (fixture[sdk ? "sdk_response" : "response"] as! [String: Any])["result"]!
        guard var object = result as? [String: Any] else { return result }
        object["activatePrice"] = nil
        object["priceRate"] = nil
        return object
    }

    private func shape(_ text: String) throws -> String {
        FixtureShape.of(try JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    /// A session with a resting order and an open position, so the V2 lists are not empty;
    /// `isolated`: BTCUSDT under ISOLATED margin with added margin, so its isolated figures are not zero.
    private func session(isolated: Bool = false) throws -> (TradingHarness, Int64) {
        var harness = TradingHarness()
        if isolated {
            _ = try harness.engine.restChangeMarginType(
                "key-1", TradingParams(["symbol": "BTCUSDT", "marginType": "ISOLATED"]))
        }
        let resting = try harness.object(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.100",
                "price": "42990",
            ])
        _ = try harness.call(
            "order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"]
        ).get()
        if isolated {
            let book = harness.book
            _ = try harness.engine.restChangePositionMargin(
                "key-1", TradingParams(["symbol": "BTCUSDT", "amount": "12.5", "type": "1"]), now: TradingHarness.now
            ) { TradingMath.mark(book, $0) }
        }
        return (harness, Int64(resting["orderId"] as! Int))
    }

    @Test(
        arguments: [
            ("account.balance", "account.balance.json"), ("v2/account.balance", "v2_account.balance.json"),
            ("account.position", "account.position.json"), ("v2/account.position", "v2_account.position.json"),
            ("account.status", "account.status.json"), ("v2/account.status", "v2_account.status.json"),
        ], [false, true])
    func accountAnswers(_ answer: (method: String, file: String), isolated: Bool) throws {
        let (method, file) = answer
        var (harness, _) = try session(isolated: isolated)
        let text = try harness.call(method, method.hasSuffix("position") ? ["symbol": "BTCUSDT"] : [:]).get()
        #expect(try shape(text) == FixtureShape.of(try fixtureResult(file)))
    }

    @Test func orderAnswers() throws {
        var (harness, id) = try session()
        let place = try harness.call(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.010",
                "price": "43100",
            ]
        ).get()
        #expect(try shape(place) == FixtureShape.of(try fixtureResult("order.place.json")))
        let modify = try harness.call(
            "order.modify",
            [
                "symbol": "BTCUSDT", "orderId": String(id), "side": "BUY", "quantity": "0.110", "price": "42980",
            ]
        ).get()
        #expect(try shape(modify) == FixtureShape.of(try fixtureResult("order.modify.json")))
        let status = try harness.call("order.status", ["symbol": "BTCUSDT", "orderId": String(id)]).get()
        #expect(try shape(status) == FixtureShape.of(try fixtureResult("order.status.json", sdk: true)))
        let cancel = try harness.call("order.cancel", ["symbol": "BTCUSDT", "orderId": String(id)]).get()
        #expect(try shape(cancel) == FixtureShape.of(try fixtureResult("order.cancel.json")))
    }

    @Test func orderPlaceKeysComeInTheFixtureOrder() throws {
        var harness = TradingHarness()
        let text = try harness.call(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.100",
                "price": "43187",
            ]
        ).get()
        let keys = text.split(separator: ",").compactMap { $0.split(separator: ":").first }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "{\"")) }
        #expect(keys == OrderFormat.placeKeys)
    }
}
