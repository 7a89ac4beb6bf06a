import Foundation
import Testing

@testable import Simulator

/// The REST rows a futures client needs beyond the seed calls: each answers on its method and
/// path, order entry counts on ORDERS, and the calls with effects over time behave.
@Suite struct RESTTradingRowsTests {
    /// Signed rows that take only a symbol (or nothing) and answer 200 on a fresh account.
    @Test(arguments: [
        ("GET", "/fapi/v2/account", ""), ("GET", "/fapi/v3/account", ""), ("GET", "/fapi/v2/balance", ""),
        ("GET", "/fapi/v3/balance", ""), ("GET", "/fapi/v2/positionRisk", "symbol=BTCUSDT"),
        ("GET", "/fapi/v3/positionRisk", ""), ("GET", "/fapi/v1/leverageBracket", "symbol=BTCUSDT"),
        ("GET", "/fapi/v1/positionSide/dual", ""), ("GET", "/fapi/v1/multiAssetsMargin", ""),
        ("GET", "/fapi/v1/commissionRate", "symbol=BTCUSDT"), ("GET", "/fapi/v1/income", ""),
        ("GET", "/fapi/v1/openAlgoOrders", ""), ("GET", "/fapi/v1/allAlgoOrders", "symbol=BTCUSDT"),
        ("DELETE", "/fapi/v1/algoOpenOrders", "symbol=BTCUSDT"),
        ("POST", "/fapi/v1/multiAssetsMargin", "multiAssetsMargin=false"),
        ("POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=0"),
    ])
    func signedRowsAnswer(_ method: String, _ path: String, _ params: String) throws {
        let session = try RESTClockSession()
        let response = try session.response(method, path, params)
        #expect(response.status == 200 && response.json != nil, "\(response.body)")
        let unsigned = try session.server.client.send(method, path + "?" + params)
        #expect(unsigned.status == 401 && unsigned.body.contains("-2014"), "a signed row needs the API key")
    }

    @Test(arguments: [
        "/fapi/v1/ticker/price", "/fapi/v2/ticker/price", "/fapi/v1/ticker/bookTicker", "/fapi/v1/ticker/24hr",
        "/fapi/v1/premiumIndex",
    ])
    func publicTickersAnswerOneSymbolAsAnObjectAndAllAsAnArray(_ path: String) throws {
        let server = try RESTTestServer()
        let one = try server.get(path + "?symbol=ETHUSDT")
        #expect((one.json as? [String: Any])?["symbol"] as? String == "ETHUSDT", "\(one.body)")
        let all = try server.get(path)
        #expect((all.json as? [[String: Any]])?.map { $0["symbol"] as? String } == SymbolSpec.all.map(\.symbol))
        #expect(try server.get(path + "?symbol=NOPE").body.contains("-1121"))
    }

    @Test func depthChargesByLimitAndRefusesOtherLimits() throws {
        let server = try RESTTestServer()
        let depth = try server.get("/fapi/v1/depth?symbol=BTCUSDT&limit=5")
        let book = try #require(depth.json as? [String: Any])
        #expect((book["bids"] as? [[String]])?.count == 5 && (book["asks"] as? [[String]])?.count == 5)
        #expect(depth.usedWeight == 2)
        #expect(try server.get("/fapi/v1/depth?symbol=BTCUSDT&limit=1000").usedWeight == 22)
        #expect(try server.get("/fapi/v1/depth?symbol=BTCUSDT&limit=7").body.contains("-1130"))
    }

    @Test func placementsCountOnOrdersAndSayHowMany() throws {
        let session = try RESTClockSession()
        let first = try session.response(
            "POST", "/fapi/v1/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00")
        #expect(
            first.status == 200 && first.headers["x-mbx-order-count-10s"] == "1"
                && first.headers["x-mbx-order-count-1m"] == "1")
        let id = try #require((first.json as? [String: Any])?["orderId"] as? Int)
        let modified = try session.response(
            "PUT", "/fapi/v1/order", "symbol=ETHUSDT&orderId=\(id)&side=BUY&quantity=0.200&price=1000.00")
        #expect(modified.headers["x-mbx-order-count-10s"] == "2", "\(modified.body)")
        #expect((modified.json as? [String: Any])?["origQty"] as? String == "0.200")
        let open = try session.object("GET", "/fapi/v1/openOrder", "symbol=ETHUSDT&orderId=\(id)")
        #expect(open["orderId"] as? Int == id && open["status"] as? String == "NEW")
        let canceled = try session.object("DELETE", "/fapi/v1/order", "symbol=ETHUSDT&orderId=\(id)")
        #expect(canceled["status"] as? String == "CANCELED")
        #expect(
            try session.response("GET", "/fapi/v1/openOrder", "symbol=ETHUSDT&orderId=\(id)").body.contains("-2013"))
        #expect(try session.response("GET", "/fapi/v1/order", "symbol=ETHUSDT&orderId=\(id)").status == 200)
    }

    @Test func aTestOrderIsCheckedButNotPlaced() throws {
        let session = try RESTClockSession()
        let params = "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00"
        #expect(try session.response("POST", "/fapi/v1/order/test", params).body == "{}")
        #expect(try session.rows("/fapi/v1/openOrders").isEmpty)
        #expect(
            try session.response("POST", "/fapi/v1/order/test", params.replacingOccurrences(of: "0.100", with: "0.000"))
                .body.contains("-4003"))
    }

    @Test func batchOrdersAnswerEachOrderOrItsOwnError() throws {
        let session = try RESTClockSession()
        let list =
            #"[{"symbol":"ETHUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.100","price":"1000.00"},"#
            + #"{"symbol":"ETHUSDT","side":"BUY","type":"STOP_MARKET","quantity":"0.100","stopPrice":"900.00"}]"#
        let answer = try #require(
            try session.send("POST", "/fapi/v1/batchOrders", "batchOrders=" + Self.formEncoded(list))
                as? [[String: Any]])
        #expect(
            answer.count == 2 && answer[0]["status"] as? String == "NEW" && answer[1]["code"] as? Int == -4120,
            "\(answer)")
        let six = "[" + Array(repeating: #"{"symbol":"ETHUSDT"}"#, count: 6).joined(separator: ",") + "]"
        #expect(
            try session.response("POST", "/fapi/v1/batchOrders", "batchOrders=" + Self.formEncoded(six)).body.contains(
                "-1130"))
    }

    @Test func aCountdownCancelsTheSymbolsOpenOrdersWhenItRunsOut() throws {
        let session = try RESTClockSession()
        _ = try session.object(
            "POST", "/fapi/v1/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00")
        let countdown = try session.object("POST", "/fapi/v1/countdownCancelAll", "symbol=ETHUSDT&countdownTime=10000")
        #expect(countdown["countdownTime"] as? String == "10000")
        let start = session.now
        session.advance(to: start + 9_000)
        #expect(try session.rows("/fapi/v1/openOrders", "symbol=ETHUSDT").count == 1)
        session.advance(to: start + 10_000)
        #expect(try session.rows("/fapi/v1/openOrders", "symbol=ETHUSDT").isEmpty)
        #expect(try session.rows("/fapi/v1/allOrders", "symbol=ETHUSDT").first?["status"] as? String == "CANCELED")
    }

    @Test func positionModeChangesOnlyWhenNothingIsOpen() throws {
        let session = try RESTClockSession()
        #expect(try session.object("GET", "/fapi/v1/positionSide/dual")["dualSidePosition"] as? Bool == false)
        _ = try session.object("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true")
        #expect(try session.object("GET", "/fapi/v1/positionSide/dual")["dualSidePosition"] as? Bool == true)
        #expect(
            try session.response("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true").body.contains("-4059"))
        _ = try session.object(
            "POST", "/fapi/v1/order",
            "symbol=ETHUSDT&side=BUY&positionSide=LONG&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00")
        #expect(
            try session.response("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=false").body.contains("-4067"))
    }

    @Test func algoOrdersAreQueriedAndCancelledOverREST() throws {
        let session = try RESTClockSession()
        let placed = try session.object(
            "POST", "/fapi/v1/algoOrder",
            "algoType=CONDITIONAL&symbol=ETHUSDT&side=BUY&type=STOP_MARKET&quantity=0.100&triggerPrice=5000.00")
        let id = try #require(placed["algoId"] as? Int)
        let queried = try session.object("GET", "/fapi/v1/algoOrder", "algoId=\(id)")
        #expect(queried["algoStatus"] as? String == "NEW" && queried["actualOrderId"] as? String == "")
        #expect(try session.rows("/fapi/v1/openAlgoOrders").map { $0["algoId"] as? Int } == [id])
        _ = try session.object("DELETE", "/fapi/v1/algoOpenOrders", "symbol=ETHUSDT")
        #expect(try session.rows("/fapi/v1/openAlgoOrders").isEmpty)
        #expect(
            try session.rows("/fapi/v1/allAlgoOrders", "symbol=ETHUSDT").first?["algoStatus"] as? String == "CANCELED")
    }

    @Test func listenKeysNeedTheAPIKeyAndLastUntilClosed() throws {
        let server = try RESTTestServer()
        let key = RESTTestServer.apiKey
        #expect(try server.client.send("POST", "/fapi/v1/listenKey").body.contains("-2014"))
        let started = try server.client.send("POST", "/fapi/v1/listenKey", apiKey: key)
        let listenKey = try #require((started.json as? [String: Any])?["listenKey"] as? String)
        #expect(
            (try server.client.send("PUT", "/fapi/v1/listenKey", apiKey: key).json as? [String: Any])?["listenKey"]
                as? String
                == listenKey)
        #expect(try server.client.send("DELETE", "/fapi/v1/listenKey", apiKey: key).body == "{}")
        #expect(try server.client.send("PUT", "/fapi/v1/listenKey", apiKey: key).body.contains("-1125"))
    }

    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Out-of-range numbers in the new rows are the exchange's -1130, never arithmetic overflow.
@Suite struct RESTHostileNumberTests {
    @Test(arguments: [
        "/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=-9223372036854775808",
        "/fapi/v1/fundingRate?startTime=-1", "/fapi/v1/fundingRate?endTime=-5",
        "/fapi/v1/fundingRate?symbol=BTCUSDT&limit=1001", "/fapi/v1/depth?symbol=BTCUSDT&limit=9223372036854775807",
    ])
    func publicRowsRefuseThem(_ target: String) throws {
        let response = try RESTTestServer().get(target)
        #expect(response.status == 400 && response.body.contains("-1130"), "\(response.body)")
    }

    @Test(arguments: ["9223372036854775807", "86400001", "-1"])
    func aCountdownOutOfRangeIsRefused(_ value: String) throws {
        let session = try RESTClockSession()
        let response = try session.response(
            "POST", "/fapi/v1/countdownCancelAll", "symbol=BTCUSDT&countdownTime=\(value)")
        #expect(response.status == 400 && response.body.contains("-1130"), "\(response.body)")
    }

    @Test func fundingHistoryFromTheEpochIsBoundedByTheLimit() throws {
        let rows = try RESTTestServer().get("/fapi/v1/fundingRate?startTime=0&limit=1000").json as? [[String: Any]]
        #expect(rows?.count == 1000 && rows?.first?["fundingTime"] as? Int == 0)
    }
}
