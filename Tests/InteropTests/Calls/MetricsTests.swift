import Foundation
import Simulator
import Testing

/// `GET /metrics` after real calls through the gateway to the simulator: the counts, histograms
/// and upstream numbers agree with what was sent.
@Suite(.serialized) struct MetricsTests {
    static let order = CallSamples.order
    static let depth = CallSamples.depth

    /// The samples of a scrape, keyed by `name{labels}` as written.
    static func scrape(_ client: GatewayClient) throws -> [String: Double] {
        let response = try client.request("GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        var samples: [String: Double] = [:]
        for line in response.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                Issue.record("not a sample: \(line)")
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func countsCallsLatenciesAndTheUpstream() async throws {
        let venue = try Venue()
        let client = try venue.client()
        #expect(try client.request("GET", Self.depth).status == 200)
        #expect(try client.request("GET", Self.depth).status == 200)
        #expect(try client.request("GET", "/v1/ws_futures_get_order_book").status == 400)
        #expect(try client.request("POST", "/v1/ws_futures_create_order", body: Self.order).status == 200)
        #expect(try client.request("GET", "/v1/ws_futures_get_klines?symbol=BTCUSDT&interval=1h&limit=3").status == 200)
        #expect(try client.request("POST", "/v1/call/depth", body: #"{"symbol":"BTCUSDT","limit":5}"#).status == 200)
        let samples = try Self.scrape(client)

        #expect(samples[#"futures_gateway_requests_total{call="ws_futures_get_order_book",status="200"}"#] == 2)
        #expect(samples[#"futures_gateway_requests_total{call="ws_futures_get_order_book",status="400"}"#] == 1)
        #expect(samples[#"futures_gateway_requests_total{call="ws_futures_create_order",status="200"}"#] == 1)
        #expect(samples[#"futures_gateway_requests_total{call="ws_futures_get_klines",status="200"}"#] == 1)
        #expect(samples[#"futures_gateway_requests_total{call="call/depth",status="200"}"#] == 1)
        #expect(samples.keys.filter { $0.contains("ws_futures_cancel_order") }.isEmpty, "unused calls have no series")
        let book = #"futures_gateway_request_duration_seconds_bucket{call="ws_futures_get_order_book",le="+Inf"}"#
        #expect(samples[book] == 3)
        #expect(samples[#"futures_gateway_request_duration_seconds_count{call="ws_futures_get_order_book"}"#] == 3)
        #expect((samples[#"futures_gateway_request_duration_seconds_sum{call="ws_futures_get_order_book"}"#] ?? 0) > 0)
        #expect(samples["futures_gateway_requests_in_flight"] == 0)
        // Four WebSocket round trips (depth twice, order.place, the pass-through depth): the 400 never left.
        #expect(samples[#"futures_gateway_upstream_duration_seconds_count{transport="ws"}"#] == 4)
        #expect(samples[#"futures_gateway_upstream_duration_seconds_count{transport="rest"}"#] == 1)
        let buckets = samples.filter {
            $0.key.hasPrefix(#"futures_gateway_upstream_duration_seconds_bucket{transport="ws""#)
        }
        #expect(buckets.count == 15)
        #expect(samples[#"futures_gateway_upstream_connected{transport="ws"}"#] == 1)
        #expect(samples[#"futures_gateway_upstream_connects_total{transport="ws"}"#] == 1)
        #expect(samples[#"futures_gateway_upstream_reconnects_total{transport="ws"}"#] == 0)
        #expect(samples[#"futures_gateway_upstream_rotations_total{transport="ws"}"#] == 0)
        #expect((samples[#"futures_gateway_upstream_connects_total{transport="rest"}"#] ?? 0) >= 1)
        #expect(samples[#"futures_gateway_rate_limit_limit{kind="REQUEST_WEIGHT",interval="1m"}"#] == 2400)
        #expect(samples[#"futures_gateway_rate_limit_limit{kind="ORDERS",interval="10s"}"#] == 300)
        #expect((samples[#"futures_gateway_rate_limit_used{kind="REQUEST_WEIGHT",interval="1m"}"#] ?? 0) >= 4)
        #expect(samples[#"futures_gateway_rate_limit_used{kind="ORDERS",interval="10s"}"#] == 1)
        #expect(samples[#"futures_gateway_local_rate_limited_total{kind="REQUEST_WEIGHT"}"#] == 0)
        await venue.stop()
    }

    @Test func countsLocal429sAndReconnects() async throws {
        let venue = try Venue(weightLimit: 20)
        let client = try venue.client()
        // A dropped connection first, while the limit still lets a call through.
        venue.faults.replace(with: SimulatorFaults(dropAfter: 0))
        _ = try client.request("POST", "/v1/call/depth", body: #"{"symbol":"BTCUSDT","limit":5}"#)
        venue.faults.replace(with: SimulatorFaults())
        #expect(await waitUntilReconnected(venue))
        var samples = try Self.scrape(client)
        #expect((samples[#"futures_gateway_upstream_reconnects_total{transport="ws"}"#] ?? 0) >= 1)
        #expect((samples[#"futures_gateway_upstream_connects_total{transport="ws"}"#] ?? 0) >= 2)

        var refused = 0
        for _ in 0..<40 where try client.request("GET", Self.depth).status == 429 { refused += 1 }
        #expect(refused > 0)
        samples = try Self.scrape(client)
        #expect(samples[#"futures_gateway_local_rate_limited_total{kind="REQUEST_WEIGHT"}"#] == Double(refused))
        #expect(
            samples[#"futures_gateway_requests_total{call="ws_futures_get_order_book",status="429"}"#]
                == Double(refused))
        #expect(samples[#"futures_gateway_rate_limit_limit{kind="REQUEST_WEIGHT",interval="1m"}"#] == 20)
        await venue.stop()
    }

    private func waitUntilReconnected(_ venue: Venue) async -> Bool {
        for _ in 0..<500 {
            let status = await venue.gateway.status()
            if status.connected && status.reconnects >= 1 { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
