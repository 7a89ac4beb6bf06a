import Logging
import Synchronization
import TestSupport
import Testing

@testable import OrderBook

/// A clock the test moves by hand (ms).
final class ManualClock: Sendable {
    let now = Atomic<Int64>(1_000)
    func advance(_ millis: Int64) { now.add(millis, ordering: .relaxed) }
    var reading: @Sendable () -> Int64 { { [self] in now.load(ordering: .relaxed) } }
}

func diff(
    _ first: Int64, _ final: Int64, pu: Int64, bids: String = "[]", asks: String = "[]", symbol: String = "BTCUSDT"
)
    -> String
{
    #"{"e":"depthUpdate","E":\#(final * 10),"T":\#(final * 10 - 1),"s":"\#(symbol)","U":\#(first),"u":\#(final),"pu":\#(pu),"b":\#(bids),"a":\#(asks)}"#
}

@Suite struct OrderBooksTests {
    let feed = ScriptedDepthFeed()
    let source = ScriptedSnapshotSource()
    let clock = ManualClock()
    let stream = "btcusdt@depth@100ms"

    func books(_ configuration: OrderBooks.Configuration = .init()) -> OrderBooks {
        OrderBooks(
            feed: feed, snapshots: source, configuration: configuration, clock: clock.reading,
            logger: Logger(label: "test"))
    }

    func text(_ read: BookRead) -> String? {
        if case .book(let bytes) = read { String(decoding: bytes, as: UTF8.self) } else { nil }
    }

    @Test func theFirstReadStartsTheBookAndAsksForASnapshotAndAnswersSyncingUntilItBridges() {
        let books = books()
        defer { books.shutdown() }
        #expect(books.read(symbol: "BTCUSDT", limit: 5) == .syncing)
        #expect(feed.subscriptions.withLock { $0.map(\.stream) } == [stream])
        #expect(source.count == 1)
        feed.send(diff(10, 12, pu: 9, bids: #"[["100.5","1"]]"#), on: stream)
        #expect(source.count == 1)
        #expect(source.requests.withLock { $0[0].symbol == "BTCUSDT" && $0[0].limit == 1000 })
        #expect(books.read(symbol: "BTCUSDT", limit: 5) == .syncing)
        source.answer(
            0,
            .success(#"{"lastUpdateId":11,"E":105,"T":104,"bids":[["100.5","3"],["99","2"]],"asks":[["101.00","4"]]}"#))
        clock.advance(7)
        #expect(
            text(books.read(symbol: "BTCUSDT", limit: 5))
                == #"{"symbol":"BTCUSDT","lastUpdateId":12,"E":120,"T":119,"age_ms":7,"bids":[["100.5","1"],["99","2"]],"asks":[["101.00","4"]]}"#
        )
        #expect(text(books.read(symbol: "BTCUSDT", limit: 1))?.contains(#""bids":[["100.5","1"]],"#) == true)
        #expect(books.counters.syncedBooks == 1)
    }

    @Test func aGapStopsServingTheBookUntilItIsResyncedAndIsCounted() {
        let books = books()
        defer { books.shutdown() }
        books.maintain(symbol: "BTCUSDT")
        feed.send(diff(10, 12, pu: 9), on: stream)
        source.answer(0, .success(#"{"lastUpdateId":11,"E":1,"T":1,"bids":[],"asks":[]}"#))
        #expect(text(books.read(symbol: "BTCUSDT", limit: 5)) != nil)
        feed.send(diff(20, 22, pu: 19), on: stream)  // 13…19 lost
        #expect(books.read(symbol: "BTCUSDT", limit: 5) == .syncing)
        #expect(books.counters.gaps == 1)
        #expect(source.count == 2)
        source.answer(1, .success(#"{"lastUpdateId":21,"E":1,"T":1,"bids":[],"asks":[["5","1"]]}"#))
        #expect(text(books.read(symbol: "BTCUSDT", limit: 5))?.contains(#""lastUpdateId":22"#) == true)
        let counters = books.counters
        #expect(counters.resyncs == 1)
        #expect(counters.snapshots == 2)
    }

    @Test func aSnapshotOlderThanTheFirstDiffIsFetchedAgainWithoutCountingAGapOrAResync() {
        let books = books()
        defer { books.shutdown() }
        books.maintain(symbol: "BTCUSDT")
        source.answer(0, .success(#"{"lastUpdateId":11,"E":1,"T":1,"bids":[],"asks":[]}"#))
        feed.send(diff(20, 22, pu: 19), on: stream)  // the stream went live after the snapshot
        #expect(eventually(.seconds(5)) { source.count == 2 }, "asked again after a short pause")
        source.answer(1, .success(#"{"lastUpdateId":21,"E":1,"T":1,"bids":[],"asks":[["5","1"]]}"#))
        #expect(text(books.read(symbol: "BTCUSDT", limit: 5))?.contains(#""lastUpdateId":22"#) == true)
        let counters = books.counters
        #expect(counters.gaps == 0)
        #expect(counters.resyncs == 0)
        #expect(counters.snapshots == 2)
    }

    @Test func aFeedGapNoticeAndAnUnreadablePayloadEachResyncTheBook() {
        let books = books()
        defer { books.shutdown() }
        books.maintain(symbol: "BTCUSDT")
        feed.send(diff(10, 12, pu: 9), on: stream)
        source.answer(0, .success(#"{"lastUpdateId":11,"E":1,"T":1,"bids":[],"asks":[]}"#))
        feed.send(.gap(reason: "upstream reconnected"), on: stream)
        #expect(books.read(symbol: "BTCUSDT", limit: 5) == .syncing)
        feed.send(diff(30, 32, pu: 29), on: stream)
        source.answer(1, .success(#"{"lastUpdateId":31,"E":1,"T":1,"bids":[],"asks":[]}"#))
        #expect(text(books.read(symbol: "BTCUSDT", limit: 5)) != nil)
        feed.send(diff(33, 34, pu: 32, symbol: "ETHUSDT"), on: stream)
        #expect(books.read(symbol: "BTCUSDT", limit: 5) == .syncing)
        let counters = books.counters
        #expect(counters.gaps == 2)
        #expect(counters.unreadablePayloads == 1)
    }

    @Test func aRefusedSymbolIsReportedAndItsFeedCancelled() {
        let books = books()
        defer { books.shutdown() }
        #expect(books.read(symbol: "NOPE", limit: 5) == .syncing)
        feed.send(diff(1, 2, pu: 0, symbol: "NOPE"), on: "nope@depth@100ms")
        source.answer(0, .failure(.refused(code: -1121, message: "Invalid symbol.")))
        #expect(books.read(symbol: "NOPE", limit: 5) == .refused(code: -1121, message: "Invalid symbol."))
        #expect(feed.subscriptions.withLock { $0[0].isCancelled.load(ordering: .relaxed) })
    }

    @Test func aFailedSnapshotIsRetriedAfterAPause() async throws {
        let books = books()
        defer { books.shutdown() }
        books.maintain(symbol: "BTCUSDT")
        feed.send(diff(10, 12, pu: 9), on: stream)
        source.answer(0, .failure(.unavailable("timed out")))
        #expect(source.count == 1)
        for _ in 0..<100 where source.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(source.count == 2)
        source.answer(1, .success(#"{"lastUpdateId":11,"E":1,"T":1,"bids":[],"asks":[]}"#))
        #expect(text(books.read(symbol: "BTCUSDT", limit: 5)) != nil)
    }

    @Test func anUnreadBookStopsAfterTheIdleTimeButAPinnedOneDoesNot() async throws {
        let books = books(.init(idleTimeout: .milliseconds(400)))
        defer { books.shutdown() }
        books.maintain(symbol: "ETHUSDT")
        _ = books.read(symbol: "BTCUSDT", limit: 5)
        clock.advance(1_000)
        for _ in 0..<100 where books.symbols.count > 1 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(books.symbols == ["ETHUSDT"])
        #expect(
            feed.subscriptions.withLock { $0.first { $0.stream == stream }?.isCancelled.load(ordering: .relaxed) }
                == true)
    }

    @Test func noMoreThanTheConfiguredNumberOfBooksRun() {
        let books = books(.init(maximumBooks: 2))
        defer { books.shutdown() }
        _ = books.read(symbol: "A", limit: 5)
        _ = books.read(symbol: "B", limit: 5)
        #expect(books.read(symbol: "C", limit: 5) == .tooManyBooks(limit: 2))
        #expect(books.read(symbol: "A", limit: 5) == .syncing)
    }
}
