import Foundation
import TestSupport
import Testing

/// `GET /` rendered by a real browser (headless Chromium, driven by Tests/Interop/browser_page.py)
/// shows the same figures as `/metrics`, draws the last 15 minutes, lists the errors with their
/// request ids and, in simulation, the paper account; it fits 1280 px and a phone's 390 px
/// without sideways scrolling. Screenshots of both land in the test output folder.
@Suite(.serialized) struct StatusPageTests {
    /// Traffic with one refused call and one resting order, then the page at `width`.
    private func render(
        width: Int
    ) async throws -> (shown: [String: Any], metrics: String, errorIds: [String], orderId: Int) {
        let venue = try Venue()
        let client = try venue.client()
        for _ in 0..<3 {
            #expect(try client.request("GET", "/v1/ws_futures_get_order_book?symbol=BTCUSDT&limit=5").status == 200)
        }
        let refused = try client.request("POST", "/v1/ws_futures_get_order_book", body: "{}")
        #expect(refused.status == 400)
        #expect(try client.request("GET", "/v1/ws_futures_get_klines?symbol=BTCUSDT&interval=1m&limit=2").status == 200)
        let placed = try client.request(
            "POST", "/v1/ws_futures_create_order",
            body:
                #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0"}"#
        )
        #expect(placed.status == 200)
        let orderId = try #require(placed.body.firstMatch(of: /"orderId":(\d+)/).flatMap { Int($0.output.1) })

        let value = try BrowserPage.open(
            "http://127.0.0.1:\(venue.port)/", width: width, script: "status_figures.js",
            screenshot: "status-\(width).png", fullPage: true)
        let metrics = try client.request("GET", "/metrics").body
        let history = try client.request("GET", "/status.json").body
        let errorIds = history.matches(of: /"requestId":"([0-9a-f]+)"/).map { String($0.output.1) }
        await venue.stop()
        return (try #require(value as? [String: Any]), metrics, errorIds, orderId)
    }

    private func metric(_ metrics: String, _ prefix: String) -> [Double] {
        metrics.split(separator: "\n").filter { $0.hasPrefix(prefix) }
            .compactMap { line in line.split(separator: " ").last.flatMap { Double($0) } }
    }

    @Test func atDesktopWidthThePageShowsWhatMetricsSays() async throws {
        let (shown, metrics, errorIds, orderId) = try await render(width: 1280)
        #expect(shown["state"] as? String == "ready", "page: \(shown)")
        #expect(shown["requestsTotal"] as? String == "6")
        #expect(metric(metrics, "futures_gateway_requests_total{").reduce(0, +) == 6)
        #expect(shown["restProtocol"] as? String == "h2")
        #expect(
            (shown["connects"] as? String).flatMap(Double.init)
                == metric(metrics, "futures_gateway_upstream_connects_total").reduce(0, +))
        #expect(shown["local429"] as? String == "0")
        #expect(
            (shown["usedWeight"] as? String).flatMap(Double.init)
                == metric(metrics, #"futures_gateway_rate_limit_used{kind="REQUEST_WEIGHT""#).first)
        #expect(
            (shown["limitWeight"] as? String).flatMap(Double.init)
                == metric(metrics, #"futures_gateway_rate_limit_limit{kind="REQUEST_WEIGHT""#).first)
        #expect((shown["p50"] as? String).flatMap(Double.init) != nil)

        // The per-call table: counts and errors as /metrics counts them.
        let calls = try #require(shown["calls"] as? [String: [String: String]])
        let book = try #require(calls["ws_futures_get_order_book"])
        #expect(
            book["count"].flatMap(Double.init)
                == metric(metrics, #"futures_gateway_requests_total{call="ws_futures_get_order_book""#).reduce(0, +))
        #expect(book["count"] == "4")
        #expect(book["errors"] == "1")
        #expect(book["p99"].flatMap(Double.init) != nil)
        #expect(calls["ws_futures_create_order"]?["count"] == "1")
        #expect(calls["ws_futures_create_order"]?["errors"] == "0")

        // The refused call is listed with the request id it was answered with.
        #expect(shown["errorRequestIds"] as? [String] == errorIds)
        #expect(errorIds.count == 1)
        let points = try #require(shown["chartPoints"] as? [String: Int])
        #expect(points["rate"] == 90, "a rate for every 10 s of the last 15 minutes")
        #expect((points["latency"] ?? 0) >= 2, "p50 and p99 of the step with traffic")
        #expect((points["limits"] ?? 0) >= 1)
        #expect((shown["connection"] as? [String] ?? []).contains { $0.contains("connected") })

        // In simulation, the paper account: the resting order is listed.
        #expect(shown["paperShown"] as? Bool == true)
        #expect(shown["openOrderIds"] as? [String] == [String(orderId)])
        #expect((shown["wallet"] as? String).flatMap(Double.init) != nil)
        #expect(shown["scrollWidth"] as? Int == 1280, "scrolls sideways: \(shown["scrollWidth"] ?? "?")")
    }

    @Test func atPhoneWidthNothingScrollsSideways() async throws {
        let (shown, _, _, _) = try await render(width: 390)
        #expect(shown["state"] as? String == "ready")
        #expect(shown["innerWidth"] as? Int == 390)
        #expect(shown["scrollWidth"] as? Int == 390, "scrolls sideways: \(shown["scrollWidth"] ?? "?")")
    }
}
