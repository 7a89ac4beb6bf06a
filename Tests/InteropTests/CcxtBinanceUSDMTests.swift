import Foundation
import Testing

/// ccxt's `binanceusdm` (its own signing, request building and unified parsers) against the
/// simulator's REST API: every call the issue lists succeeds, and the unified answers agree.
@Suite struct CcxtBinanceUSDMTests {
    @Test func ccxtsUnifiedCallsSucceedAndAgreeWithEachOther() throws {
        let report = try PythonClientReport.run("ccxt_binanceusdm.py")
        #expect(report.failedCalls.isEmpty, "\(report.failedCalls)")
        for name in [
            "load_markets", "fetch_order_book", "fetch_ticker", "fetch_tickers", "fetch_ohlcv", "fetch_trades",
            "fetch_balance", "fetch_positions", "set_leverage", "set_margin_mode", "create_order_market",
            "create_order_limit", "create_order_stop_market", "create_order_take_profit", "edit_order", "fetch_order",
            "fetch_open_orders", "cancel_order", "cancel_all_orders", "fetch_my_trades", "fetch_funding_rate",
            "create_orders", "edit_orders",
        ] {
            #expect(report.calls[name] == "ok", "\(name): \(report.calls[name] ?? "not called")")
        }
        let checks = report.checks
        let symbols = ["BNB/USDT:USDT", "BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "XRP/USDT:USDT"]
        #expect(checks["markets"] as? [String] == symbols)
        #expect(checks["tickers"] as? [String] == symbols)
        let book = checks["book"] as? [String: Any]
        #expect(book?["bids"] as? Int == 5 && book?["asks"] as? Int == 5 && book?["crossed"] as? Bool == false)
        #expect(checks["ohlcv"] as? Int == 5 && checks["trades"] as? Int == 5)
        #expect((checks["funding_rate"] as? Double).map { abs($0) <= 0.003 } == true)
        #expect((checks["next_funding"] as? Int).map { $0 % (8 * 3_600_000) == 0 } == true)

        // The filled market order shows in the balance, the position and the account's trades.
        let order = try #require(checks["market_order"] as? [String: Any])
        #expect(order["status"] as? String == "closed" && order["filled"] as? Double == 0.01)
        let price = try #require(order["average"] as? Double)
        let trades = try #require(checks["my_trades"] as? [[String: Any]])
        #expect(
            trades.count == 1 && trades[0]["order"] as? String == order["id"] as? String
                && trades[0]["amount"] as? Double == 0.01 && trades[0]["price"] as? Double == price)
        let fee = try #require(trades[0]["fee"] as? Double)
        #expect(abs(fee - price * 0.01 * 0.0004) < 1e-6, "taker commission 0.04%")
        let positions = try #require(checks["positions"] as? [[String: Any]])
        #expect(
            positions.count == 1 && positions[0]["side"] as? String == "long"
                && positions[0]["contracts"] as? Double == 0.01
                && positions[0]["entryPrice"] as? Double == price, "\(positions)")
        let before = try #require(checks["usdt_before"] as? Double),
            after = try #require(checks["usdt_after"] as? Double)
        #expect(before == 10_000)
        // The total is the wallet less the fee plus the (sub-tick) unrealized profit at the mark.
        #expect(abs(before - fee - after) < 0.01 * 1.0, "before \(before), fee \(fee), after \(after)")
        #expect(
            (checks["usdt_used"] as? Double).map { abs($0 - price * 0.01 / 10) < 0.5 } == true, "initial margin at 10x")

        let edited = checks["edited"] as? [String: Any], fetched = checks["fetched"] as? [String: Any]
        #expect(
            edited?["amount"] as? Double == 0.02 && fetched?["amount"] as? Double == 0.02
                && fetched?["status"] as? String == "open"
                && fetched?["price"] as? Double == edited?["price"] as? Double)
        #expect((checks["trigger_orders"] as? [String])?.count == 2)
        #expect((checks["batch"] as? [String: Any])?["edited"] as? [Double] == [0.03])
        #expect(checks["open_orders"] as? [String] == checks["limit_ids"] as? [String])
        #expect(checks["canceled"] as? String == "canceled" && checks["open_after_cancel"] as? Int == 0)
    }
}
