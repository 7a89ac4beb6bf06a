import Foundation
import Testing

@testable import Simulator

/// A scripted session on BTCUSDT: the order lifecycle, the position and the wallet, number by number.
@Suite struct TradingSessionTests {
    private static let restingBuy = [
        "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.100",
        "price": "42990.00",
        "newClientOrderId": "rest-1", "newOrderRespType": "RESULT",
    ]

    /// Runs the session and returns every answer's text, in order.
    static func run(seed: UInt64) -> [String] {
        var harness = TradingHarness(seed: seed)
        var answers: [String] = []
        func record(_ method: String, _ params: [String: String]) {
            switch harness.call(method, params) {
            case .success(let text): answers.append(text)
            case .failure(let error): answers.append(error.json)
            }
        }
        record("order.place", restingBuy)
        record(
            "order.place",
            ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.080", "newOrderRespType": "RESULT"])
        let crossed = TradingHarness.book(bids: [(42984_00, 1000)], asks: [(42985_00, 40), (42995_00, 1000)])
        harness.engine.match(symbol: "BTCUSDT", book: crossed, now: TradingHarness.now + 1)
        record("order.status", ["symbol": "BTCUSDT", "origClientOrderId": "rest-1"])
        record(
            "order.modify",
            ["symbol": "BTCUSDT", "origClientOrderId": "rest-1", "side": "BUY", "quantity": "0.090", "price": "42980"])
        record("order.cancel", ["symbol": "BTCUSDT", "origClientOrderId": "rest-1"])
        record(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "SELL", "type": "MARKET", "quantity": "0.050", "reduceOnly": "true",
                "newOrderRespType": "RESULT",
            ])
        record("account.position", ["symbol": "BTCUSDT"])
        record("account.balance", [:])
        record("v2/account.status", [:])
        return answers
    }

    private func json(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return (value as? [String: Any]) ?? ((value as! [Any]).first as! [String: Any])
    }

    @Test func orderLifecyclePositionAndWallet() throws {
        let answers = Self.run(seed: 42)
        let resting = try json(answers[0])
        #expect(resting["status"] as? String == "NEW")
        #expect(resting["executedQty"] as? String == "0.000")
        #expect(resting["price"] as? String == "42990.00")

        // MARKET BUY 0.080: 0.050 at 43000.10 and 0.030 at 43000.20.
        let market = try json(answers[1])
        #expect(market["status"] as? String == "FILLED")
        #expect(market["executedQty"] as? String == "0.080")
        #expect(market["cumQuote"] as? String == "3440.01100")
        #expect(market["avgPrice"] as? String == "43000.14")
        #expect(market["clientOrderId"] as? String == String((market["clientOrderId"] as! String).prefix(22)))
        #expect((market["orderId"] as! Int) == (resting["orderId"] as! Int) + 1)

        // The book crossed the resting buy: 0.040 of it filled at its own price.
        let status = try json(answers[2])
        #expect(status["status"] as? String == "PARTIALLY_FILLED")
        #expect(status["executedQty"] as? String == "0.040")
        #expect(status["avgPrice"] as? String == "42990.00")
        #expect(status["orderId"] as? Int == resting["orderId"] as? Int)

        let modified = try json(answers[3])
        #expect(modified["orderId"] as? Int == resting["orderId"] as? Int)
        #expect(modified["price"] as? String == "42980.00")
        #expect(modified["origQty"] as? String == "0.090")
        #expect(modified["status"] as? String == "PARTIALLY_FILLED")

        let canceled = try json(answers[4])
        #expect(canceled["status"] as? String == "CANCELED")
        #expect(canceled["executedQty"] as? String == "0.040")

        // Reduce-only SELL 0.050 at 43000.00 against a long of 0.120 (entry 42996.758333…).
        let reduce = try json(answers[5])
        #expect(reduce["status"] as? String == "FILLED")
        #expect(reduce["reduceOnly"] as? Bool == true)

        let position = try json(answers[6])
        #expect(position["positionAmt"] as? String == "0.070")
        #expect(position["entryPrice"] as? String == "42996.75833342")
        #expect(position["markPrice"] as? String == "43000.05000000")
        #expect(position["unRealizedProfit"] as? String == "0.23041666")
        #expect(position["leverage"] as? String == "20")

        // 10000 − 1.3760044 (taker) − 0.34392 (maker) + 0.16208334 (realized) − 0.86 (taker).
        let balance = try json(answers[7])
        #expect(balance["balance"] as? String == "9997.58215894")
        #expect(balance["crossUnPnl"] as? String == "0.23041666")
        #expect(balance["availableBalance"] as? String == "9847.31240060")

        let account = try json(answers[8])
        #expect(account["totalWalletBalance"] as? String == "9997.58215894")
        #expect(account["totalPositionInitialMargin"] as? String == "150.50017500")
        #expect((account["positions"] as? [Any])?.count == 1)
    }

    @Test func theSameSeedGivesIdenticalAnswers() {
        let first = Self.run(seed: 42), second = Self.run(seed: 42), other = Self.run(seed: 43)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func iocExpiresTheRestAndFokFillsAllOrNothing() throws {
        var harness = TradingHarness()
        let ioc = try harness.object(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC", "quantity": "0.100",
                "price": "43000.10",
                "newOrderRespType": "RESULT",
            ])
        #expect(ioc["status"] as? String == "EXPIRED")
        #expect(ioc["executedQty"] as? String == "0.050")
        let fok = try harness.object(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "FOK", "quantity": "0.100",
                "price": "43000.10",
                "newOrderRespType": "RESULT",
            ])
        #expect(fok["status"] as? String == "EXPIRED")
        #expect(fok["executedQty"] as? String == "0.000")
        let ack = try harness.object(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "SELL", "type": "MARKET", "quantity": "0.010",
            ])
        #expect(ack["status"] as? String == "NEW")
    }

    @Test func hedgeModeKeepsLongAndShortApart() throws {
        var harness = TradingHarness()
        harness.engine.setDualSidePosition(true, apiKey: "key-1")
        _ = try harness.call(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "BUY", "positionSide": "LONG", "type": "MARKET",
                "quantity": "0.010",
            ]
        ).get()
        _ = try harness.call(
            "order.place",
            [
                "symbol": "BTCUSDT", "side": "SELL", "positionSide": "SHORT", "type": "MARKET",
                "quantity": "0.020",
            ]
        ).get()
        let text = try harness.call("account.position", ["symbol": "BTCUSDT"]).get()
        let rows = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [[String: Any]]
        #expect(rows.map { $0["positionSide"] as? String } == ["LONG", "SHORT"])
        #expect(rows.map { $0["positionAmt"] as? String } == ["0.010", "-0.020"])
        #expect(
            harness.error("order.place", ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"])
                == -4061)
    }
}
