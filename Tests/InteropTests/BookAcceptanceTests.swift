import Foundation
import Gateway
import OrderBook
import Simulator
import Streams
import TestSupport
import Testing

/// Issue 14's acceptance for the local order book: the simulator as upstream, its depth diff
/// stream through the gateway's stream hub, and a gap injected with `skipDepthEvents`. Every book
/// `/v1/book` serves is compared with the simulator's own book at the same `lastUpdateId`.
@Suite(.serialized) struct BookAcceptanceTests {
    typealias Book = (bids: [[String]], asks: [[String]])

    static func object(_ response: HTTPTestResponse) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(response.bytes)) as? [String: Any]
    }

    static func book(_ object: [String: Any]) -> (id: Int, book: Book)? {
        guard let id = object["lastUpdateId"] as? Int, let bids = object["bids"] as? [[String]],
            let asks = object["asks"] as? [[String]]
        else { return nil }
        return (id, (bids, asks))
    }

    @Test func aGapInjectedByTheSimulatorResyncsTheBookAndNoServedBookBreaksTheSequence() async throws {
        let venue = try Venue(
            weightLimit: 1_000_000, streams: StreamHubSettings(), marketStepInterval: .zero,
            books: { upstreams, hub in OrderBooks.gateway(upstreams: upstreams, hub: hub!) })
        let client = try venue.client()
        let read = "/v1/book?symbol=BTCUSDT&limit=1000"
        #expect(try client.request("GET", read).status == 503)
        #expect(eventually(.seconds(10)) { (try? client.request("GET", read).status) == 200 })

        // The simulator's own book after each step: every `depth` call moves its market one step
        // and publishes that step's diff.
        var truth: [Int: Book] = [:]
        var served: [(id: Int, book: Book)] = []
        var skippedAfter: Int?
        let steps = 30
        for step in 0..<steps {
            if step == 12 { venue.faults.replace(with: SimulatorFaults(skipDepthEvents: 1)) }
            let answer = try client.request("GET", "/v1/ws_futures_get_order_book?symbol=BTCUSDT&limit=1000")
            let simulator = try #require(Self.object(answer).flatMap(Self.book), "step \(step): \(answer)")
            truth[simulator.id] = simulator.book
            if step == 12 { skippedAfter = simulator.id }
            _ = eventually(.seconds(1)) {
                guard let response = try? client.request("GET", read), response.status == 200,
                    let local = Self.object(response).flatMap(Self.book)
                else { return false }
                if served.last?.id != local.id { served.append(local) }
                return local.id >= simulator.id
            }
        }
        var compared = 0
        var unknown: [Int] = []
        for local in served {
            guard let book = truth[local.id] else {
                unknown.append(local.id)
                continue
            }
            compared += 1
            #expect(local.book.bids == book.bids, "bids at \(local.id)")
            #expect(local.book.asks == book.asks, "asks at \(local.id)")
        }
        // The event after the skipped one does not chain (its pu is the skipped u): a book that
        // applied it anyway would be served at that event's u.
        let skipped = try #require(skippedAfter)
        let afterSkip = truth.keys.filter { $0 > skipped }.min()
        #expect(!served.contains { $0.id == afterSkip }, "served a book across the gap")
        #expect(compared >= steps - 4, "compared \(compared) of \(served.count) served books")
        // Books not among the steps the test made come from the books' own snapshots (each `depth`
        // call moves the market a step): the first, the resync's, and a refetch when a snapshot
        // predates the stream's first diff.
        let metrics = try client.request("GET", "/metrics").body
        let snapshots = metrics.split(separator: "\n").first { $0.hasPrefix("futures_gateway_book_snapshots_total ") }
            .flatMap { Int($0.split(separator: " ")[1]) }
        #expect(unknown.count <= (snapshots ?? 0), "\(unknown) against \(snapshots ?? 0) snapshots")
        #expect(
            metrics.contains("futures_gateway_book_gaps_total 1\n"),
            "\(metrics.split(separator: "\n").filter { $0.contains("book") })")
        #expect(metrics.contains("futures_gateway_book_resyncs_total 1\n"))
        await venue.stop()
    }
}
