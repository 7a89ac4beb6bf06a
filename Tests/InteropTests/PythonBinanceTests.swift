import Foundation
import Logging
import Simulator
import TestSupport
import Testing

/// python-binance, a client we did not write, against the simulator: all 15 of its ws_futures_*
/// calls, with its own framing, its own HMAC signatures and its own exception for an error answer.
@Suite struct PythonBinanceTests {
    @Test func pythonBinancesWebSocketCallsSucceedAgainstTheSimulator() throws {
        let apiKey = SimulatorKeys.randomAlphanumerics(64)
        let secret = SimulatorKeys.randomAlphanumerics(64)
        let exchange = SimulatedExchange(seed: 3, keys: SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))]))
        let simulator = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0),
            logger: Logger(label: "python-binance-test"))
        let url = try #require(SimulatorServer.webSocketURL(for: try simulator.start()))
        defer { simulator.shutdown() }

        let script = RepositoryRoot.appending("Tests/Interop/python_binance_session.py")
        let output = try VenvPython.firstLine([script.path, url, apiKey, secret], timeout: 60)
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")

        let depth = try #require(answers["depth"] as? [String: Any])
        #expect((depth["bids"] as? [[String]])?.count == 5)
        #expect((answers["tickers"] as? [[String: Any]])?.count == SymbolSpec.all.count)
        #expect((answers["book_ticker"] as? [String: Any])?["symbol"] as? String == "BTCUSDT")

        let placed = try #require(answers["place"] as? [String: Any])
        let orderID = try #require(placed["orderId"] as? Int)
        #expect((placed["clientOrderId"] as? String)?.hasPrefix("x-Cb7ytekJ") == true, "python-binance's own client id")
        let status = try #require(answers["status"] as? [String: Any])
        #expect(status["orderId"] as? Int == orderID && status["status"] as? String == "NEW")
        let edited = try #require(answers["edit"] as? [String: Any])
        #expect(
            edited["orderId"] as? Int == orderID && edited["price"] as? String == "30000.10"
                && edited["origQty"] as? String == "0.020")
        #expect((answers["cancel"] as? [String: Any])?["status"] as? String == "CANCELED")
        let market = try #require(answers["market"] as? [String: Any])
        #expect(market["status"] as? String == "FILLED" && market["executedQty"] as? String == "0.005")

        let algo = try #require(answers["algo"] as? [String: Any], "\(answers["algo"] ?? "none")")
        #expect(
            algo["algoId"] is Int && algo["algoStatus"] as? String == "NEW"
                && algo["orderType"] as? String == "STOP_MARKET")
        #expect((answers["algo_cancel"] as? [String: Any])?["code"] as? String == "200")
        let routed = try #require(answers["conditional"] as? [String: Any], "\(answers["conditional"] ?? "none")")
        #expect(
            routed["algoId"] is Int && routed["triggerPrice"] as? String == "30000.00",
            "a conditional create_order became an algo order")
        #expect((answers["conditional_cancel"] as? [String: Any])?["code"] as? String == "200")

        for key in ["balance", "v2_balance"] {
            let assets = (answers[key] as? [[String: Any]])?.compactMap { $0["asset"] as? String } ?? []
            #expect(assets.contains("USDT"), "\(key)")
        }
        let position = (answers["position"] as? [[String: Any]])?.first
        #expect(position?["positionAmt"] as? String == "0.005", "the market buy opened a position")
        #expect(
            answers["v2_position"] is [Any] && answers["account_status"] is [String: Any]
                && answers["v2_account_status"] is [String: Any])

        let refused = try #require(answers["wrong_secret"] as? [String: Any], "a wrong secret must be refused")
        #expect(refused["code"] as? Int == -1022 && refused["status"] as? Int == 400)
    }
}
