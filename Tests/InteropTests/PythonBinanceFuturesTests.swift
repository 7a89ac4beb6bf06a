import Foundation
import Testing

/// python-binance's REST `futures_*` calls (55 of them, batch orders and listen keys included)
/// against the simulator's REST API.
@Suite struct PythonBinanceFuturesTests {
    @Test func pythonBinancesFuturesCallsSucceedAgainstTheSimulator() throws {
        let report = try PythonClientReport.run("python_binance_futures.py")
        #expect(report.failedCalls.isEmpty, "\(report.failedCalls)")
        #expect(report.calls.count >= 40, "\(report.calls.count) calls")
        for name in [
            "futures_place_batch_order", "futures_cancel_orders", "futures_stream_get_listen_key",
            "futures_stream_keepalive", "futures_stream_close",
        ] {
            #expect(report.calls[name] == "ok", "\(name)")
        }
        let checks = report.checks
        #expect(checks["funding_rates"] as? Int == 3 && checks["price_tickers"] as? Int == 5)
        #expect(checks["hedge_mode"] as? Bool == true)
        #expect(checks["modified_qty"] as? String == "0.020")
        #expect(checks["batch"] as? [String] == ["NEW", "NEW"])
        #expect(checks["open_orders"] as? Int == 3)
        let market = try #require(checks["market"] as? [String: Any])
        #expect(market["status"] as? String == "FILLED")
        #expect(checks["trade_orders"] as? [Int] == [try #require(market["orderId"] as? Int)])
        #expect(checks["income_types"] as? [String] == ["COMMISSION"])
        #expect(checks["position_amt"] as? String == "0.010")
        #expect(checks["balance_assets"] as? [String] == ["USDT"])
        #expect(checks["open_algos"] as? Int == 1)
        #expect(checks["listen_key_length"] as? Int == 64)
    }
}
