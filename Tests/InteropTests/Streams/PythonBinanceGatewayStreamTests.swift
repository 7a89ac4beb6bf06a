import Foundation
import Streams
import TestSupport
import Testing

/// python-binance 1.0.37's BinanceSocketManager, pointed at the gateway by its stream and futures
/// base URLs only (Tests/Interop/python_binance_gateway_streams.py): its futures symbol socket, its
/// multiplex socket and its futures user socket each receive events; an order placed through
/// /v1/ws_futures_create_order reaches the user socket within a second.
@Suite struct PythonBinanceGatewayStreamTests {
    @Test func pythonBinancesOwnStreamClientsWorkThroughTheGateway() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let path = RepositoryRoot.appending("Tests/Interop/python_binance_gateway_streams.py").path
        let line = try VenvPython.firstLine([path, "http://127.0.0.1:\(venue.port)"], timeout: 90)
        await venue.stop()
        let report = try #require(
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "script said: \(line)")
        #expect(report["symbol"] as? [String] == ["btcusdt@bookTicker", "bookTicker"], "\(report)")
        #expect(report["multiplex"] as? [String] == ["btcusdt@kline_1m", "btcusdt@markPrice@1s"], "\(report)")
        print("python-binance through the gateway: \(line)")
        let user = try #require(report["user"] as? [String: Any], "\(report)")
        #expect(user["type"] as? String == "ORDER_TRADE_UPDATE", "\(user)")
        #expect(user["orderId"] as? Int == user["placed"] as? Int)
        #expect((user["seconds"] as? Double ?? 9) < 1, "\(user)")
    }
}
