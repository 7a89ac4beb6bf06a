import Catalog
import Foundation
import Testing

/// `/docs` in a real browser: a person places a simulated order and cancels it with the page's
/// "try it" forms, and the exchange really saw both.
@Suite(.serialized) struct DocsPageTests {
    @Test func anOrderIsPlacedAndCanceledFromTheDocsPage() async throws {
        let venue = try Venue()
        let value = try BrowserPage.open(
            "http://127.0.0.1:\(venue.port)/docs", width: 1280,
            script: "docs_place_and_cancel.js", screenshot: "docs-1280.png")
        let shown = try #require(value as? [String: Any])
        let groups = shown["groups"] as? [String] ?? []
        #expect(Array(groups.prefix(4)) == ["Market data", "Account", "Orders", "Settings"], "groups: \(groups)")
        #expect((shown["articles"] as? Int ?? 0) > CallCatalog.all.count, "one article per call and per route")
        let placed = try #require(shown["placed"] as? [String: Any])
        let placedBody = try #require(placed["body"] as? [String: Any], "placed: \(placed)")
        #expect(placed["status"] as? Int == 200, "placed: \(placed)")
        #expect(placedBody["status"] as? String == "NEW")
        #expect(placedBody["clientOrderId"] as? String == "from-the-docs-page")
        #expect(
            (placed["headers"] as? String ?? "").contains("x-request-id: "), "headers shown: \(placed["headers"] ?? "")"
        )
        let canceled = try #require(shown["canceled"] as? [String: Any])
        #expect(canceled["status"] as? Int == 200, "canceled: \(canceled)")
        #expect((canceled["body"] as? [String: Any])?["status"] as? String == "CANCELED")

        let orderId = try #require(placedBody["orderId"] as? Int)
        let client = try venue.client()
        let order = try client.request("GET", "/v1/ws_futures_get_order?symbol=BTCUSDT&orderId=\(orderId)")
        #expect(order.status == 200)
        #expect(order.body.contains(#""status":"CANCELED""#), "the exchange says: \(order.body)")
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 1)
        #expect(venue.journal.webSocketRequests(method: "order.cancel").count == 1)
        await venue.stop()
    }

    @Test func theDocsPageFitsAPhone() async throws {
        let venue = try Venue()
        let value = try BrowserPage.open(
            "http://127.0.0.1:\(venue.port)/docs", width: 390,
            script: "page_width.js", screenshot: "docs-390.png")
        let widths = try #require(value as? [String: Any])
        #expect(widths["scrollWidth"] as? Int == widths["innerWidth"] as? Int, "scrolls sideways: \(widths)")
        await venue.stop()
    }

    /// Behind a bearer token nothing answers without it, the page included; a browser that sends
    /// the header (an extension, as here) gets the page, and the page's own requests work.
    @Test func behindATokenThePageAndItsRequestsNeedIt() async throws {
        let token = "docs-token-\(UInt64.random(in: 1...UInt64.max))"
        let venue = try Venue(bearerToken: token)
        let client = try venue.client()
        #expect(try client.request("GET", "/docs").status == 401)
        #expect(try client.request("GET", "/openapi.json").status == 401)
        let value = try BrowserPage.open(
            "http://127.0.0.1:\(venue.port)/docs", width: 1280, script: "docs_book_ticker.js",
            screenshot: "docs-token-1280.png", headers: ["Authorization": "Bearer \(token)"])
        let shown = try #require(value as? [String: Any])
        #expect((shown["articles"] as? Int ?? 0) > CallCatalog.all.count, "the contract was read: \(shown)")
        #expect(shown["status"] as? Int == 200, "\(shown)")
        #expect((shown["body"] as? String ?? "").contains("BTCUSDT"))
        await venue.stop()
    }
}
