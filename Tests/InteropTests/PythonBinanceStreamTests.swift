import Foundation
import TestSupport
import Testing

/// python-binance 1.0.37's own futures stream sockets (`BinanceSocketManager`, its stream base
/// pointed straight at the simulator) on the routed paths: each receives its streams, the user
/// socket the order's events, and every frame they received validates against asyncapi.yaml.
@Suite struct PythonBinanceStreamTests {
    @Test func pythonBinancesStreamSocketsReceiveFramesThatMatchTheContract() throws {
        let output = try PythonClientReport.output(
            "python_binance_streams.py", arguments: [RepositoryRoot.appending("asyncapi.yaml").path],
            marketStepInterval: .milliseconds(50), timeout: 90)
        #expect((output["errors"] as? [String: Any])?.isEmpty == true, "\(output)")
        let streams = try #require(output["streams"] as? [String: [String]], "\(output)")
        #expect(streams["depth10"] == ["btcusdt@depth10"])
        #expect(streams["bookTicker"] == ["btcusdt@bookTicker"])
        #expect(streams["aggTrade"] == ["btcusdt@aggTrade"], "the MARKET order's fills")
        #expect(streams["markPrice"] == ["btcusdt@markPrice@1s"])
        #expect(Set(streams["publicMultiplex"] ?? []).isSubset(of: ["btcusdt@depth@100ms", "!bookTicker"]))
        #expect(Set(streams["marketMultiplex"] ?? []) == ["ethusdt@kline_1m", "!markPrice@arr@1s"])
        #expect(streams["user"] == ["ACCOUNT_UPDATE", "ORDER_TRADE_UPDATE"])
        let verdict = try #require(output["asyncapi"] as? [String: Any])
        #expect(verdict["status"] as? Int == 0, "\(verdict["output"] ?? "")")
        #expect((verdict["output"] as? String)?.contains("checks passed") == true)
    }
}
