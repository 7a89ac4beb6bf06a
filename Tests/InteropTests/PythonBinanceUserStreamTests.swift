import Foundation
import Testing

/// python-binance's own futures user data socket (listen key over REST, `/private/ws?listenKey=`)
/// receives an order's events and the account update it caused.
@Suite struct PythonBinanceUserStreamTests {
    @Test func pythonBinancesUserSocketReceivesTheOrdersEvents() throws {
        let output = try PythonClientReport.output("python_binance_user_stream.py", timeout: 60)
        #expect(
            output["types"] as? [String] == ["ORDER_TRADE_UPDATE", "ORDER_TRADE_UPDATE", "ACCOUNT_UPDATE"], "\(output)")
        #expect(output["executions"] as? [String] == ["NEW", "TRADE"])
        #expect(output["position"] as? [String] == ["0.010"])
    }
}
