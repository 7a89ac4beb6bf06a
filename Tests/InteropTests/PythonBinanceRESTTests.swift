import Foundation
import Logging
import Simulator
import TestSupport
import Testing

/// python-binance's REST `futures_*` counterparts of the 16 REST-only seed calls against the
/// simulator's REST API: its query strings, its HMAC signatures, its exception for an error.
@Suite struct PythonBinanceRESTTests {
    @Test func pythonBinancesRESTCallsSucceedAgainstTheSimulator() throws {
        let apiKey = SimulatorKeys.randomAlphanumerics(64)
        let secret = SimulatorKeys.randomAlphanumerics(64)
        let exchange = SimulatedExchange(seed: 5, keys: SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))]))
        let simulator = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0),
            logger: Logger(label: "python-binance-rest-test"))
        let url = try #require(SimulatorServer.webSocketURL(for: try simulator.start()))
        defer { simulator.shutdown() }

        let script = RepositoryRoot.appending("Tests/Interop/python_binance_rest.py")
        let output = try VenvPython.firstLine([script.path, url, apiKey, secret], timeout: 90)
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        let failed = answers.compactMap { key, value in (value as? [String: Any])?["error"] != nil ? key : nil }
        #expect(failed.filter { $0 != "cancel_orders_lowercase" }.isEmpty, "calls answered with an error: \(failed)")

        #expect((answers["time"] as? [String: Any])?["serverTime"] is Int)
        let symbols = (answers["exchange_info"] as? [String: Any])?["symbols"] as? [[String: Any]]
        #expect(symbols?.count == SymbolSpec.all.count)

        for name in ["recent_trades", "historical_trades"] {
            let trades = answers[name] as? [[String: Any]]
            #expect(
                trades?.count == 5 && trades?.allSatisfy { $0["id"] is Int && $0["price"] is String } == true, "\(name)"
            )
        }
        let aggregates = answers["aggregate_trades"] as? [[String: Any]]
        #expect(aggregates?.count == 5 && aggregates?.allSatisfy { $0["a"] is Int && $0["p"] is String } == true)
        for name in ["klines", "continuous_klines", "index_price_klines", "mark_price_klines", "premium_index_klines"] {
            let rows = answers[name] as? [[Any]]
            #expect(
                rows?.count == 3 && rows?.allSatisfy { $0.count == 12 && $0[0] is Int && $0[1] is String } == true,
                "\(name)")
        }

        #expect((answers["change_leverage"] as? [String: Any])?["leverage"] as? Int == 10)
        let placed = try #require(answers["placed_ids"] as? [Int])
        let open = (answers["open_orders"] as? [[String: Any]])?.compactMap { $0["orderId"] as? Int }
        #expect(open.map(Set.init) == Set(placed))
        let batch = answers["cancel_orders"] as? [[String: Any]]
        #expect(
            batch?.compactMap { $0["orderId"] as? Int } == Array(placed.prefix(2))
                && batch?.allSatisfy { $0["status"] as? String == "CANCELED" } == true, "\(String(describing: batch))")
        #expect((answers["cancel_all_open_orders"] as? [String: Any])?["code"] as? Int == 200)
        let all = answers["all_orders"] as? [[String: Any]]
        #expect(all?.count == 3 && all?.allSatisfy { $0["status"] as? String == "CANCELED" } == true)

        #expect((answers["change_margin_type"] as? [String: Any])?["code"] as? Int == 200)
        let market = try #require(answers["market"] as? [String: Any])
        #expect(market["status"] as? String == "FILLED")
        let margin = answers["change_position_margin"] as? [String: Any]
        #expect(margin?["code"] as? Int == 200 && margin?["type"] as? Int == 1 && margin?["amount"] as? Double == 5)
        let trades = answers["account_trades"] as? [[String: Any]]
        #expect(
            trades?.count == 1 && trades?.first?["orderId"] as? Int == market["orderId"] as? Int
                && trades?.first?["qty"] as? String == "0.010")

        // python-binance's own list conversion sends the lower-case name `orderidlist`.
        let lowercase = answers["cancel_orders_lowercase"] as? [[String: Any]]
        #expect(
            lowercase?.first?["orderId"] as? Int == (answers["more_ids"] as? [Int])?.first,
            "\(String(describing: answers["cancel_orders_lowercase"]))")

        let refused = try #require(answers["wrong_secret"] as? [String: Any], "a wrong secret must be refused")
        #expect(refused["code"] as? Int == -1022 && refused["status"] as? Int == 400)
    }
}
