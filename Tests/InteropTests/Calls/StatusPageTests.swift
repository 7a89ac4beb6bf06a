import Foundation
import TestSupport
import Testing

/// `GET /` rendered by a real browser (headless Chromium, Debian's `chromium` package, which
/// `scripts/test` installs) shows the same numbers as `/metrics`.
@Suite(.serialized) struct StatusPageTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func theRenderedPageShowsWhatMetricsSays() async throws {
        let browser = try #require(Self.chromium, "headless Chromium is needed: apt-get install chromium")
        let venue = try Venue()
        let client = try venue.client()
        for _ in 0..<3 { #expect(try client.request("GET", "/v1/ws_futures_get_order_book?symbol=BTCUSDT&limit=5").status == 200) }
        #expect(try client.request("POST", "/v1/ws_futures_get_order_book", body: "{}").status == 400)
        #expect(try client.request("GET", "/v1/ws_futures_get_klines?symbol=BTCUSDT&interval=1m&limit=2").status == 200)

        let dom = try Shell.run("\(browser) --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
            + "--virtual-time-budget=3000 --dump-dom http://127.0.0.1:\(venue.port)/ 2>/dev/null", timeout: 60)
        let metrics = try client.request("GET", "/metrics").body
        func shown(_ id: String) -> String? {
            dom.firstMatch(of: try! Regex("id=\"\(id)\"[^>]*>([^<]*)<"))?.output[1].substring.map(String.init)
        }
        func metric(_ name: String, _ labels: String = "") -> [Double] {
            metrics.split(separator: "\n").filter { $0.hasPrefix(name + (labels.isEmpty ? "" : "{" + labels)) }
                .compactMap { line in line.split(separator: " ").last.flatMap { Double($0) } }
        }
        #expect(shown("state") == "ready", "page: \(dom.prefix(400))")
        #expect(shown("requests-total") == "5")
        #expect(metric("futures_gateway_requests_total{").reduce(0, +) == 5)
        #expect(shown("rest-protocol") == "h2")
        #expect(shown("connects").flatMap(Double.init) == metric("futures_gateway_upstream_connects_total").reduce(0, +))
        #expect(shown("local-429") == "0")
        let weightUsed = try #require(metric("futures_gateway_rate_limit_used", #"kind="REQUEST_WEIGHT""#).first)
        let weightLimit = try #require(metric("futures_gateway_rate_limit_limit", #"kind="REQUEST_WEIGHT""#).first)
        #expect(shown("used-request_weight-1m").flatMap(Double.init) == weightUsed)
        #expect(shown("limit-request_weight-1m").flatMap(Double.init) == weightLimit)
        #expect(shown("p50").flatMap(Double.init) != nil, "p50: \(shown("p50") ?? "none")")
        await venue.stop()
    }
}
