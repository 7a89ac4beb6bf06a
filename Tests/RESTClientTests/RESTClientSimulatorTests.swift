import Foundation
import HTTP1
import HTTPServer
import RESTClient
import RequestWindow
import TestSupport
import Testing

/// Real requests against the exchange simulator, over h2c and over HTTP/1.1.
@Suite struct RESTClientSimulatorTests {
    @Test func serverTimeAndDepthOverH2C() throws {
        let simulator = try RunningSimulator()
        defer { simulator.stop() }
        let client = try RESTClient(baseURL: simulator.baseURL, protocol: .auto, tls: nil, logger: quietLogger)
        defer { shutdownAndWait(client) }

        guard case .success(let time)? = call(client, restRequest("/fapi/v1/time")) else {
            Issue.record("no answer to /fapi/v1/time")
            return
        }
        #expect(time.status == 200)
        #expect(String(decoding: time.body, as: UTF8.self).hasPrefix(#"{"serverTime":"#))
        #expect(client.status.protocolName == "h2")

        // The simulator has no /fapi/v1/depth (order books are on its WebSocket API); klines
        // are a market-data GET with a query string all the same.
        guard
            case .success(let klines)? = call(client, restRequest("/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=5"))
        else {
            Issue.record("no answer to /fapi/v1/klines")
            return
        }
        #expect(klines.status == 200)
        let rows = try JSONSerialization.jsonObject(with: Data(klines.body)) as? [Any]
        #expect(rows?.count == 5)
        #expect(klines.headers["content-type"]?.hasPrefix("application/json") == true)

        // A body larger than one DATA frame and the initial 64 KiB window.
        guard case .success(let info)? = call(client, restRequest("/fapi/v1/exchangeInfo")) else {
            Issue.record("no answer to /fapi/v1/exchangeInfo")
            return
        }
        #expect(info.status == 200)
        #expect((try JSONSerialization.jsonObject(with: Data(info.body)) as? [String: Any])?["symbols"] != nil)
        let status = client.status
        #expect(status.connected && status.connectionsOpened == 1 && status.reconnects == 0)
    }

    /// 150 at once: more than the simulator's SETTINGS_MAX_CONCURRENT_STREAMS (100), so the
    /// rest wait for streams to end instead of being refused.
    @Test func hundredsOfConcurrentRequestsShareOneConnection() throws {
        let simulator = try RunningSimulator()
        defer { simulator.stop() }
        let client = try RESTClient(baseURL: simulator.baseURL, protocol: .h2, tls: nil, logger: quietLogger)
        defer { shutdownAndWait(client) }

        let outcomes = Outcomes()
        for index in 0..<150 {
            let target = index % 2 == 0 ? "/fapi/v1/time" : "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=5"
            client.send(restRequest(target), completion: outcomes.completion(index))
        }
        #expect(eventually { outcomes.count == 150 })
        #expect(
            (0..<150).allSatisfy {
                if case .success(let response)? = outcomes[$0] { response.status == 200 } else { false }
            })
        let status = client.status
        #expect(status.protocolName == "h2")
        #expect(status.connectionsOpened == 1)
        #expect(status.openConnections == 1)
        #expect(status.inFlight == 0 && status.queued == 0)
    }

    @Test func forcedHTTP1QueuesRequestsOnOneKeepAliveConnection() throws {
        let simulator = try RunningSimulator()
        defer { simulator.stop() }
        let client = try RESTClient(baseURL: simulator.baseURL, protocol: .http1, tls: nil, logger: quietLogger)
        defer { shutdownAndWait(client) }

        let outcomes = Outcomes()
        for index in 0..<20 {
            let target = index % 2 == 0 ? "/fapi/v1/time" : "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=5"
            client.send(restRequest(target), completion: outcomes.completion(index))
        }
        #expect(eventually { outcomes.count == 20 })
        #expect(outcomes.body(0)?.hasPrefix(#"{"serverTime":"#) == true)
        #expect(outcomes.body(1)?.hasPrefix("[[") == true)
        let status = client.status
        #expect(status.protocolName == "http/1.1")
        #expect(status.connectionsOpened == 1)
    }

    @Test func anUnknownPathKeepsTheServersStatusAndBody() throws {
        let simulator = try RunningSimulator()
        defer { simulator.stop() }
        for mode in [RESTProtocol.h2, .http1] {
            let client = try RESTClient(baseURL: simulator.baseURL, protocol: mode, tls: nil, logger: quietLogger)
            defer { shutdownAndWait(client) }
            guard case .success(let response)? = call(client, restRequest("/fapi/v1/nothing-here")) else {
                Issue.record("no answer over \(mode)")
                continue
            }
            #expect(response.status == 404, "\(mode)")
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""code""#), "\(mode)")
        }
    }
}
