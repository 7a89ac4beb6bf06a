import Testing

@testable import OrderBook

extension DepthEvent {
    /// An event of `TEST` with levels as `(price, quantity)` text.
    static func make(
        _ first: Int64, _ final: Int64, pu: Int64, bids: [(String, String)] = [], asks: [(String, String)] = []
    ) -> DepthEvent {
        DepthEvent(
            symbol: "TEST", eventTime: final * 10, transactionTime: final * 10 - 1, firstUpdateId: first,
            finalUpdateId: final, previousFinalUpdateId: pu, bids: bids.map { (.of($0.0), .of($0.1)) },
            asks: asks.map { (.of($0.0), .of($0.1)) })
    }
}

extension DepthSnapshot {
    static func make(
        _ lastUpdateId: Int64, bids: [(String, String)] = [], asks: [(String, String)] = []
    ) -> DepthSnapshot {
        DepthSnapshot(
            lastUpdateId: lastUpdateId, eventTime: lastUpdateId * 10, transactionTime: lastUpdateId * 10 - 1,
            bids: bids.map { (.of($0.0), .of($0.1)) }, asks: asks.map { (.of($0.0), .of($0.1)) })
    }
}

@Suite struct DepthSynchronizerTests {
    typealias Action = DepthSynchronizer.Action

    @Test func theFirstSnapshotIsAskedForAtTheStart() {
        var machine = DepthSynchronizer()
        #expect(machine.start() == [.fetchSnapshot(request: 1, attempt: 0)])
        #expect(machine.start() == [])
        #expect(machine.receive(.make(10, 12, pu: 9)) == [])
        #expect(machine.receive(.make(11), request: 1) == [.synced(lastUpdateId: 12)])
    }

    @Test func anEventThatFollowsTheSnapshotDirectlyBridgesIt() {
        var machine = DepthSynchronizer()
        _ = machine.start()
        _ = machine.receive(.make(12), request: 1)
        #expect(machine.receive(.make(13, 15, pu: 12, bids: [("1", "1")])) == [])
        #expect(machine.book?.lastUpdateId == 15)
        #expect(machine.receive(.make(16, 17, pu: 15)) == [])
        #expect(machine.book?.lastUpdateId == 17)
    }

    @Test func theSnapshotIsAskedForOnceTheFirstEventIsBufferedAfterAnInterruption() {
        var machine = DepthSynchronizer()
        #expect(machine.receive(.make(10, 12, pu: 9)) == [.fetchSnapshot(request: 1, attempt: 0)])
        #expect(machine.receive(.make(13, 15, pu: 12)) == [])
        #expect(machine.book == nil)
    }

    @Test func eventsBeforeTheSnapshotAreDroppedAndTheBridgingOneApplied() throws {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9, bids: [("1", "9")]))
        _ = machine.receive(.make(13, 15, pu: 12, bids: [("2", "1")]))
        _ = machine.receive(.make(16, 18, pu: 15, bids: [("3", "1"), ("2", "0")]))
        let actions = machine.receive(.make(14, bids: [("1", "5"), ("2", "4")]), request: 1)
        #expect(actions == [.synced(lastUpdateId: 18)])
        let book = try #require(machine.book)
        #expect(book.lastUpdateId == 18)
        // The event 10…12 (u < 14) was dropped: "1" keeps the snapshot's quantity.
        #expect(book.bids.texts() == [["3", "1"], ["1", "5"]])
        #expect(book.eventTime == 180)
    }

    @Test func aSnapshotNewerThanEveryBufferedEventWaitsForTheBridgingEvent() throws {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        #expect(machine.receive(.make(20, asks: [("5", "1")]), request: 1) == [.synced(lastUpdateId: 20)])
        #expect(machine.book?.lastUpdateId == 20)
        #expect(machine.receive(.make(13, 19, pu: 12, asks: [("5", "7")])) == [])
        #expect(machine.book?.asks.texts() == [["5", "1"]])
        #expect(machine.receive(.make(19, 22, pu: 18, asks: [("5", "2")])) == [])
        #expect(machine.book?.lastUpdateId == 22)
        #expect(machine.receive(.make(23, 24, pu: 22, asks: [("6", "1")])) == [])
        #expect(machine.book?.asks.texts() == [["5", "2"], ["6", "1"]])
    }

    @Test func aSnapshotOlderThanTheStreamIsAskedForAgainWithoutAGap() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        #expect(machine.receive(.make(5), request: 1) == [.fetchSnapshot(request: 2, attempt: 1)])
        _ = machine.receive(.make(13, 15, pu: 12))
        #expect(machine.receive(.make(11), request: 2) == [.synced(lastUpdateId: 15)])
    }

    @Test func aSnapshotForASupersededRequestIsIgnored() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(5), request: 1)  // too old: request 2 goes out
        _ = machine.receive(.make(13, 15, pu: 12))
        // Request 1 answered again, late (out of order): nothing happens.
        #expect(machine.receive(.make(11), request: 1) == [])
        #expect(machine.book == nil)
        #expect(machine.receive(.make(14), request: 2) == [.synced(lastUpdateId: 15)])
        // And an answer after the book is live changes nothing either.
        #expect(machine.receive(.make(100), request: 2) == [])
        #expect(machine.book?.lastUpdateId == 15)
    }

    @Test func aBreakInTheBufferedChainIsAGapAndKeepsTheLaterEvents() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(16, 18, pu: 15))  // 13…15 never came
        let actions = machine.receive(.make(11), request: 1)
        #expect(
            actions == [
                .countGap(.sequence(expected: 12, previousFinalUpdateId: 15)), .fetchSnapshot(request: 2, attempt: 0),
            ])
        #expect(machine.book == nil)
        #expect(machine.receive(.make(17, bids: [("1", "1")]), request: 2) == [.synced(lastUpdateId: 18)])
    }

    @Test func aLiveBookThatMissesAnEventStopsBeingServedAndResyncs() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(11), request: 1)
        #expect(machine.receive(.make(13, 15, pu: 12)) == [])
        #expect(
            machine.receive(.make(19, 20, pu: 18))
                == [
                    .countGap(.sequence(expected: 15, previousFinalUpdateId: 18)),
                    .fetchSnapshot(request: 2, attempt: 0),
                ])
        #expect(machine.book == nil)
        _ = machine.receive(.make(21, 22, pu: 20))
        #expect(machine.receive(.make(20), request: 2) == [.synced(lastUpdateId: 22)])
    }

    @Test func aRepeatedEventBreaksTheChain() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(11), request: 1)
        let actions = machine.receive(.make(10, 12, pu: 9))
        #expect(actions.first == .countGap(.sequence(expected: 12, previousFinalUpdateId: 9)))
    }

    @Test func anUnbridgedBookWhoseNextEventStartsLaterAsksForANewSnapshot() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(20), request: 1)
        #expect(machine.receive(.make(25, 27, pu: 24)) == [.fetchSnapshot(request: 2, attempt: 1)])
        #expect(machine.book == nil)
    }

    @Test func aFeedInterruptionOfALiveBookIsAGapAndRestartsAtTheNextEvent() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        _ = machine.receive(.make(11), request: 1)
        #expect(machine.feedInterrupted("reconnected") == [.countGap(.feed("reconnected"))])
        #expect(machine.book == nil)
        #expect(machine.receive(.make(40, 41, pu: 39)) == [.fetchSnapshot(request: 2, attempt: 0)])
    }

    @Test func aFeedInterruptionWhileSyncingDiscardsThePendingSnapshot() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        #expect(machine.feedInterrupted("reconnected") == [])
        #expect(machine.receive(.make(11), request: 1) == [])
        #expect(machine.book == nil)
    }

    @Test func failedSnapshotsAreRetriedWithAGrowingAttemptCountThatASyncResets() {
        var machine = DepthSynchronizer()
        _ = machine.receive(.make(10, 12, pu: 9))
        #expect(machine.snapshotFailed(request: 1) == [.fetchSnapshot(request: 2, attempt: 1)])
        #expect(machine.snapshotFailed(request: 1) == [])
        #expect(machine.snapshotFailed(request: 2) == [.fetchSnapshot(request: 3, attempt: 2)])
        _ = machine.receive(.make(11), request: 3)
        #expect(machine.receive(.make(13, 21, pu: 12)) == [])
        #expect(machine.receive(.make(22, 23, pu: 21)) == [])
        #expect(machine.feedInterrupted("x").count == 1)
        #expect(machine.receive(.make(30, 31, pu: 29)) == [.fetchSnapshot(request: 4, attempt: 0)])
    }

    @Test func theBufferKeepsOnlyTheNewestEvents() {
        var machine = DepthSynchronizer(maximumBuffered: 3)
        for id in Int64(1)...10 { _ = machine.receive(.make(id, id, pu: id - 1)) }
        guard case .awaitingSnapshot(let buffer, _) = machine.state else {
            Issue.record("not waiting for a snapshot")
            return
        }
        #expect(buffer.map(\.finalUpdateId) == [8, 9, 10])
        // A snapshot from before the oldest kept event cannot bridge: it is asked for again.
        #expect(machine.receive(.make(5), request: 1) == [.fetchSnapshot(request: 2, attempt: 1)])
    }
}
