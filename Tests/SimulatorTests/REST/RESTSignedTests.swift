import Foundation
import Testing

@testable import Simulator

/// The signed REST endpoints over real HTTP: HMAC over the query as sent, refusals, and the
/// leverage / marginType / positionMargin / order-query answers and error codes.
@Suite struct RESTSignedTests {
    typealias Server = RESTTestServer

    func post(_ sim: Server, _ path: String, _ params: String) throws -> RESTTestClient.Response {
        try sim.client.send("POST", path + "?" + Server.signed(params), apiKey: Server.apiKey)
    }

    /// Places an order directly on the engine (the WebSocket API's `order.place`).
    func place(_ sim: Server, _ params: [String: String]) {
        sim.exchange.state.withLock { state in
            let market = state.market
            _ = try? state.trading.place(Server.apiKey, TradingParams(params), now: Server.now) {
                market.currentBook($0, depth: 20)
            }
        }
    }

    @Test func leverageSignedOverQueryAsSent() throws {
        let sim = try Server()
        // Not alphabetical on purpose: REST signs the text as sent.
        let answer = try post(sim, "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=21")
        #expect(answer.status == 200 && answer.usedWeight == 1)
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Change-Initial-Leverage
        let example = RESTPublicTests.example(#"{"leverage":21,"maxNotionalValue":"1000000","symbol":"BTCUSDT"}"#)
        #expect(RESTPublicTests.keys(answer.json) == RESTPublicTests.keys(example))
        #expect(answer.body.hasPrefix(#"{"leverage":21,"maxNotionalValue":""#))
        #expect(sim.exchange.state.withLock { $0.trading.account(Server.apiKey).leverage("BTCUSDT") } == 21)

        let body = try sim.client.send(
            "POST", "/fapi/v1/leverage", apiKey: Server.apiKey, body: Server.signed("symbol=ETHUSDT&leverage=5"))
        #expect(body.status == 200 && body.body.contains(#""leverage":5"#))

        let tooHigh = try post(sim, "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=126")
        #expect(tooHigh.status == 400 && tooHigh.body == #"{"code":-4028,"msg":"Leverage 126 is not valid"}"#)
    }

    @Test func refusals() throws {
        let sim = try Server()
        let good = Server.signed("symbol=BTCUSDT&leverage=3")
        let tampered = good.replacingOccurrences(of: "leverage=3", with: "leverage=4")
        let wrong = try sim.client.send("POST", "/fapi/v1/leverage?" + tampered, apiKey: Server.apiKey)
        #expect(
            wrong.status == 400 && wrong.body == #"{"code":-1022,"msg":"Signature for this request is not valid."}"#)
        let sorted = Server.signed("leverage=3&symbol=BTCUSDT")
        let reordered = try sim.client.send(
            "POST",
            "/fapi/v1/leverage?symbol=BTCUSDT&leverage=3&"
                + sorted.split(separator: "&").dropFirst(2).joined(separator: "&"), apiKey: Server.apiKey)
        #expect(reordered.body.contains("-1022"))
        let noKey = try sim.client.send("POST", "/fapi/v1/leverage?" + good)
        #expect(noKey.status == 401 && noKey.body.contains("-2014"))
        let stale = try sim.client.send(
            "POST", "/fapi/v1/leverage?" + Server.signed("symbol=BTCUSDT&leverage=3", timestamp: Server.now - 6000),
            apiKey: Server.apiKey)
        #expect(stale.body.contains("-1021"))
        let unsigned = try sim.client.send(
            "POST", "/fapi/v1/leverage?symbol=BTCUSDT&leverage=3&timestamp=\(Server.now)", apiKey: Server.apiKey)
        #expect(unsigned.body.contains("-1102") && unsigned.usedWeight == 5)
    }

    @Test func marginTypeErrors() throws {
        let sim = try Server()
        let first = try post(sim, "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED")
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Change-Margin-Type
        #expect(first.status == 200 && first.body == #"{"code":200,"msg":"success"}"#)
        #expect(try post(sim, "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED").body.contains("-4046"))
        place(
            sim,
            [
                "symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "1",
                "price": "1000.00",
            ])
        #expect(try post(sim, "/fapi/v1/marginType", "symbol=ETHUSDT&marginType=ISOLATED").body.contains("-4047"))
        place(sim, ["symbol": "BNBUSDT", "side": "BUY", "type": "MARKET", "quantity": "1"])
        #expect(try post(sim, "/fapi/v1/marginType", "symbol=BNBUSDT&marginType=ISOLATED").body.contains("-4048"))
        #expect(try post(sim, "/fapi/v1/marginType", "symbol=BNBUSDT&marginType=BOTH").body.contains("-1130"))
    }

    @Test func positionMargin() throws {
        let sim = try Server()
        #expect(try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=10&type=1").body.contains("-4053"))
        _ = try post(sim, "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED")
        #expect(try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=10&type=1").body.contains("-4054"))
        place(sim, ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"])
        let added = try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=100&type=1")
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Modify-Isolated-Position-Margin
        #expect(added.body == #"{"amount":100.0,"code":200,"msg":"Successfully modify position margin.","type":1}"#)
        #expect(try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=150&type=2").body.contains("-4051"))
        #expect(try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=-1&type=2").body.contains("-4055"))
        #expect(try post(sim, "/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=999999&type=1").body.contains("-4050"))
    }

    @Test func orderQueriesAndCancels() throws {
        let sim = try Server()
        for price in ["1000.00", "1001.00", "1002.00"] {
            place(
                sim,
                [
                    "symbol": "ETHUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.100",
                    "price": price,
                ])
        }
        let open = try sim.client.send(
            "GET", "/fapi/v1/openOrders?" + Server.signed("symbol=ETHUSDT"), apiKey: Server.apiKey)
        let rows = try #require(open.json as? [[String: Any]])
        #expect(open.usedWeight == 1 && rows.count == 3 && rows.allSatisfy { $0["status"] as? String == "NEW" })
        let all = try sim.client.send("GET", "/fapi/v1/openOrders?" + Server.signed(""), apiKey: Server.apiKey)
        #expect(all.usedWeight == 41)
        let ids = rows.compactMap { $0["orderId"] as? Int }
        let list = "%5B\(ids[0]),\(ids[1])%5D"
        let batch = try sim.client.send(
            "DELETE", "/fapi/v1/batchOrders?" + Server.signed("symbol=ETHUSDT&orderIdList=\(list)"),
            apiKey: Server.apiKey)
        let canceled = try #require(batch.json as? [[String: Any]])
        #expect(canceled.map { $0["status"] as? String } == ["CANCELED", "CANCELED"])
        let again = try sim.client.send(
            "DELETE", "/fapi/v1/batchOrders?" + Server.signed("symbol=ETHUSDT&orderIdList=\(list)"),
            apiKey: Server.apiKey)
        #expect(again.body.contains(#"{"code":-2011,"msg":"Unknown order sent."}"#))
        let cancelAll = try sim.client.send(
            "DELETE", "/fapi/v1/allOpenOrders?" + Server.signed("symbol=ETHUSDT"), apiKey: Server.apiKey)
        #expect(cancelAll.body == #"{"code":200,"msg":"The operation of cancel all open order is done."}"#)
        let history = try sim.client.send(
            "GET", "/fapi/v1/allOrders?" + Server.signed("symbol=ETHUSDT"), apiKey: Server.apiKey)
        #expect(
            (history.json as? [[String: Any]])?.map { $0["status"] as? String } == ["CANCELED", "CANCELED", "CANCELED"])
        #expect(history.usedWeight == 41 + 1 + 1 + 1 + 5)

        place(sim, ["symbol": "BTCUSDT", "side": "SELL", "type": "MARKET", "quantity": "0.003"])
        let trades = try sim.client.send(
            "GET", "/fapi/v1/userTrades?" + Server.signed("symbol=BTCUSDT"), apiKey: Server.apiKey)
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api/Account-Trade-List
        let example = RESTPublicTests.example(
            #"""
            [{"buyer":false,"commission":"-0.07819010","commissionAsset":"USDT","id":698759,"maker":false,"orderId":25851813,
              "price":"7819.01","qty":"0.002","quoteQty":"15.63802","realizedPnl":"-0.91539999","side":"SELL","positionSide":"SHORT",
              "symbol":"BTCUSDT","time":1569514978020}]
            """#)
        #expect(RESTPublicTests.keys(trades.json) == RESTPublicTests.keys(example))
        #expect((trades.json as? [[String: Any]])?.first?["qty"] as? String == "0.003")
    }
}
