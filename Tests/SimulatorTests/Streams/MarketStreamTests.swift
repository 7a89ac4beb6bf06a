import Foundation
import TestSupport
import Testing

@testable import Simulator

/// Market streams fed by the matching engine, over real sockets: a local book built from the
/// REST snapshot and the diff stream equals the simulator's own book after every event; book
/// tickers, aggregate trades from fills, routing, and the admin view.
@Suite struct MarketStreamTests {
    static func faults() -> SimulatorFaultSwitch { SimulatorFaultSwitch(adminEnabled: true) }

    /// Waits until the hub has `count` subscribed connections (the handshake finished).
    static func waitForSubscribers(_ exchange: SimulatedExchange) {
        for _ in 0..<300 where !exchange.marketStreams.hasSubscribers { usleep(10_000) }
    }

    /// A price → quantity book, from `[["price","qty"],…]`.
    struct LocalBook: Equatable {
        var bids: [Decimal: Decimal] = [:]
        var asks: [Decimal: Decimal] = [:]

        static func levels(_ value: Any?) -> [(Decimal, Decimal)] {
            ((value as? [[String]]) ?? []).map { (Decimal(string: $0[0])!, Decimal(string: $0[1])!) }
        }

        mutating func apply(bids new: Any?, asks newAsks: Any?) {
            for (price, quantity) in Self.levels(new) { bids[price] = quantity == 0 ? nil : quantity }
            for (price, quantity) in Self.levels(newAsks) { asks[price] = quantity == 0 ? nil : quantity }
        }

        init() {}

        init(_ book: MarketData.Book, _ spec: SymbolSpec) {
            for level in book.bids {
                bids[Decimal(string: spec.formatPrice(level.price))!] = Decimal(
                    string: spec.formatQuantity(level.quantity))!
            }
            for level in book.asks {
                asks[Decimal(string: spec.formatPrice(level.price))!] = Decimal(
                    string: spec.formatQuantity(level.quantity))!
            }
        }
    }

    @Test func aLocalBookFromSnapshotAndDiffsEqualsTheSimulatorsBookAfterEachEvent() throws {
        let session = try RESTClockSession()
        let exchange = session.server.exchange, spec = SymbolSpec.bySymbol["BTCUSDT"]!
        let stream = try LoopbackWebSocket(
            port: session.server.client.port, path: "/public/stream?streams=btcusdt@depth")
        Self.waitForSubscribers(exchange)
        exchange.stepMarkets()
        let snapshot = try #require(
            try session.server.get("/fapi/v1/depth?symbol=BTCUSDT&limit=1000").json as? [String: Any])
        let lastUpdateId = try #require(snapshot["lastUpdateId"] as? Int)
        var book = LocalBook()
        book.apply(bids: snapshot["bids"], asks: snapshot["asks"])
        // The step before the snapshot is older than it: dropped. The snapshot's own step spans it.
        let older = try #require(stream.receiveObject()?["data"] as? [String: Any])
        #expect((older["u"] as? Int ?? .max) < lastUpdateId)
        let spanning = try #require(stream.receiveObject()?["data"] as? [String: Any])
        #expect((spanning["U"] as? Int ?? .max) <= lastUpdateId && spanning["u"] as? Int == lastUpdateId)
        book.apply(bids: spanning["b"], asks: spanning["a"])
        var previous = lastUpdateId
        for round in 0..<30 {
            exchange.stepMarkets()
            let frame = try #require(stream.receiveObject(), "a step makes an event")
            #expect(frame["stream"] as? String == "btcusdt@depth")
            let event = try #require(frame["data"] as? [String: Any])
            #expect(event["e"] as? String == "depthUpdate" && event["s"] as? String == "BTCUSDT")
            #expect(event["pu"] as? Int == previous && event["U"] as? Int == previous + 1, "the pu chain holds")
            previous = try #require(event["u"] as? Int)
            book.apply(bids: event["b"], asks: event["a"])
            let own = exchange.state.withLock { $0.market.currentBook(spec, depth: MarketData.fullDepth) }
            #expect(previous == Int(own.updateID))
            #expect(book == LocalBook(own, spec), "round \(round)")
            #expect(stream.receive(within: .milliseconds(20)) == nil, "one event per step")
        }
    }

}
