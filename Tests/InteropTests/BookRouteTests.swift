import Foundation
import Gateway
import Logging
import OrderBook
import TestSupport
import Testing

/// `GET /v1/book` over HTTP on loopback: the gateway's route in front of books fed by a scripted
/// depth feed, with snapshots scripted or fetched from the simulator through the gateway's own
/// upstream (`OrderBooks.gateway`).
@Suite(.serialized) struct BookRouteTests {
    static let stream = "btcusdt@depth@100ms"

    static func diff(_ first: Int64, _ final: Int64, pu: Int64, bids: String = "[]", asks: String = "[]") -> String {
        #"{"e":"depthUpdate","E":\#(final),"T":\#(final),"s":"BTCUSDT","U":\#(first),"u":\#(final),"pu":\#(pu),"b":\#(bids),"a":\#(asks)}"#
    }

    static func json(_ response: HTTPTestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.bytes)) as? [String: Any])
    }

    @Test func aBookIsServedOnceSyncedAndRefusedWith503WhileSyncing() async throws {
        let feed = ScriptedDepthFeed()
        let snapshots = ScriptedSnapshotSource()
        let venue = try Venue(books: { _, _ in
            OrderBooks(feed: feed, snapshots: snapshots, logger: Logger(label: "books"))
        })
        let client = try venue.client()
        let syncing = try client.request("GET", "/v1/book?symbol=BTCUSDT&limit=5")
        #expect(syncing.status == 503)
        #expect(syncing.headers["Retry-After"] == "1")
        #expect(try Self.json(syncing)["code"] as? Int == 503)
        feed.send(Self.diff(10, 12, pu: 9, bids: #"[["100.5","1.000"]]"#), on: Self.stream)
        snapshots.answer(
            0,
            .success(
                #"{"lastUpdateId":11,"E":5,"T":4,"bids":[["100.5","3.000"],["99.0","2.000"]],"asks":[["101.0","4.000"]]}"#
            ))
        let served = try client.request("GET", "/v1/book?symbol=BTCUSDT&limit=5")
        #expect(served.status == 200)
        #expect(served.headers["Content-Type"] == "application/json")
        let body = try Self.json(served)
        #expect(body["symbol"] as? String == "BTCUSDT")
        #expect(body["lastUpdateId"] as? Int == 12)
        #expect(body["bids"] as? [[String]] == [["100.5", "1.000"], ["99.0", "2.000"]])
        #expect(body["asks"] as? [[String]] == [["101.0", "4.000"]])
        #expect(body["age_ms"] is Int)
        // A gap: 503 again, and counted.
        feed.send(Self.diff(20, 22, pu: 19), on: Self.stream)
        #expect(try client.request("GET", "/v1/book?symbol=BTCUSDT").status == 503)
        let metrics = try client.request("GET", "/metrics").body
        #expect(metrics.contains("futures_gateway_book_gaps_total 1\n"))
        #expect(metrics.contains("futures_gateway_books 1\n"))
        await venue.stop()
    }

    @Test(arguments: [
        ("/v1/book", "symbol is required"),
        ("/v1/book?symbol=btcusdt", "symbol must be"),
        ("/v1/book?symbol=BTCUSDT&limit=7", "limit must be one of"),
        ("/v1/book?symbol=BTCUSDT&depth=5", "unknown parameter depth"),
        ("/v1/book?symbol=BTC%ZZ", "bad percent-encoding"),
    ])
    func badQueriesAreRefusedWith400(_ target: String, _ message: String) async throws {
        let venue = try Venue(books: { _, _ in
            OrderBooks(feed: ScriptedDepthFeed(), snapshots: ScriptedSnapshotSource(), logger: Logger(label: "books"))
        })
        let response = try venue.client().request("GET", target)
        #expect(response.status == 400)
        let body = try Self.json(response)
        #expect(body["code"] as? Int == 400)
        #expect((body["msg"] as? String)?.contains(message) == true, "\(body)")
        #expect(venue.gateway.books?.symbols == [])
        await venue.stop()
    }

    @Test func snapshotsComeFromTheUpstreamAndAnUnknownSymbolIsTheExchangesRefusal() async throws {
        let feed = ScriptedDepthFeed()
        let venue = try Venue(books: { upstreams, _ in OrderBooks.gateway(upstreams: upstreams, feed: feed) })
        let client = try venue.client()
        #expect(try client.request("GET", "/v1/book?symbol=BTCUSDT&limit=1000").status == 503)
        // One event that bridges any snapshot: the book is then the simulator's own snapshot.
        feed.send(Self.diff(1, 1 << 40, pu: 0), on: Self.stream)
        let book = try #require(
            await eventuallyValue { () -> HTTPTestResponse? in
                let response = try? client.request("GET", "/v1/book?symbol=BTCUSDT&limit=1000")
                return response?.status == 200 ? response : nil
            })
        let body = try Self.json(book)
        #expect(body["lastUpdateId"] as? Int == 1 << 40)
        let bids = try #require(body["bids"] as? [[String]])
        #expect(!bids.isEmpty)
        #expect(
            venue.journal.webSocketRequests(method: "depth").contains {
                String(decoding: $0.text, as: UTF8.self).contains(#""limit":1000"#)
            })
        // The refusal may already be back by the time the first read looks.
        #expect([503, 400].contains(try client.request("GET", "/v1/book?symbol=NOSUCHUSDT").status))
        feed.send(
            Self.diff(1, 2, pu: 0).replacingOccurrences(of: "BTCUSDT", with: "NOSUCHUSDT"), on: "nosuchusdt@depth@100ms"
        )
        let refused = try #require(
            await eventuallyValue { () -> HTTPTestResponse? in
                let response = try? client.request("GET", "/v1/book?symbol=NOSUCHUSDT")
                return response?.status == 400 ? response : nil
            })
        #expect(try Self.json(refused)["code"] as? Int == -1121)
        await venue.stop()
    }
}

/// Polls `probe` every 20 ms for up to 5 s until it gives a value.
func eventuallyValue<T>(_ probe: () throws -> T?) async rethrows -> T? {
    for _ in 0..<250 {
        if let value = try probe() { return value }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return nil
}
