import Testing

@testable import Simulator

/// Each rejection with the exchange's code.
@Suite struct TradingRejectionTests {
    private static let limit = [
        "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
        "quantity": "0.010", "price": "42000.00",
    ]

    private func with(_ changes: [String: String?]) -> [String: String] {
        var params = Self.limit
        for (key, value) in changes { params[key] = value }
        return params
    }

    @Test(
        arguments: [
            (["quantity": nil], -1102), (["price": nil], -1102), (["timeInForce": nil], -1102), (["side": nil], -1102),
            (["quantity": "abc"], -1102), (["side": "HOLD"], -1117), (["type": "ICEBERG"], -1116),
            (["timeInForce": "GTD2"], -1115), (["positionSide": "UP"], -1130), (["newOrderRespType": "FULL"], -1130),
            (["reduceOnly": "maybe"], -1130), (["symbol": "DOGEUSDT"], -1121), (["type": "STOP_MARKET"], -4120),
            (["type": "TRAILING_STOP_MARKET"], -4120), (["price": "42000.05"], -4014), (["price": "42000.001"], -1111),
            (["quantity": "0.0105"], -1111), (["quantity": "0"], -4003), (["price": "0"], -4013),
            (["quantity": "0.001"], -4164), (["newClientOrderId": "bad id!"], -4015),
            (["newClientOrderId": String(repeating: "a", count: 37)], -4015), (["positionSide": "LONG"], -4061),
            (["quantity": "5.000"], -2019), (["reduceOnly": "true"], -2022),
            (["price": "43000.10", "timeInForce": "GTX"], -5022),
        ] as [([String: String?], Int)])
    func placeRejections(_ changes: [String: String?], _ code: Int) {
        var harness = TradingHarness()
        #expect(harness.error("order.place", with(changes)) == code)
    }

    /// The listed symbols all step by one quantity unit, so -4023 is checked on a coarser contract.
    @Test func quantityOffTheStep() {
        let coarse = SymbolSpec(
            symbol: "TESTUSDT", baseAsset: "TEST", quoteAsset: "USDT", priceDecimals: 2, tickUnits: 1,
            quantityDecimals: 2, stepUnits: 10, minNotional: 5, startPriceUnits: 100_00)
        #expect(throws: ExchangeError.quantityNotOnStep) {
            try TradingEngine.quantity(TradingParams(["quantity": "1.25"]), coarse)
        }
        #expect((try? TradingEngine.quantity(TradingParams(["quantity": "1.20"]), coarse)) == 120)
        var harness = TradingHarness()
        #expect(
            harness.error("order.place", ["symbol": "SOLUSDT", "side": "BUY", "type": "MARKET", "quantity": "1.5"])
                == -1111)
    }

    @Test func duplicateClientOrderIdAmongOpenOrders() {
        var harness = TradingHarness()
        #expect(harness.error("order.place", with(["newClientOrderId": "dup-1"])) == nil)
        #expect(harness.error("order.place", with(["newClientOrderId": "dup-1"])) == -4116)
        #expect(harness.error("order.cancel", ["symbol": "BTCUSDT", "origClientOrderId": "dup-1"]) == nil)
        #expect(harness.error("order.place", with(["newClientOrderId": "dup-1"])) == nil)
    }

    @Test func unknownOrders() {
        var harness = TradingHarness()
        #expect(harness.error("order.status", ["symbol": "BTCUSDT", "orderId": "1"]) == -2013)
        #expect(
            harness.error(
                "order.modify",
                [
                    "symbol": "BTCUSDT", "orderId": "1", "side": "BUY", "quantity": "0.010",
                    "price": "42000",
                ]) == -2013)
        #expect(harness.error("order.cancel", ["symbol": "BTCUSDT", "orderId": "1"]) == -2011)
        #expect(harness.error("order.cancel", ["symbol": "BTCUSDT"]) == -1102)
    }

    @Test func reduceOnlyMayNotFlipAPosition() {
        var harness = TradingHarness()
        #expect(
            harness.error("order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"])
                == nil)
        let sell = ["symbol": "BTCUSDT", "side": "SELL", "type": "MARKET", "reduceOnly": "true"]
        #expect(harness.error("order.place", sell.merging(["quantity": "0.020"]) { $1 }) == -2022)
        #expect(harness.error("order.place", sell.merging(["quantity": "0.010"]) { $1 }) == nil)
    }
}
