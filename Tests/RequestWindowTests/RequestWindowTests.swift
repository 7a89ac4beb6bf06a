import RequestWindow
import Testing

typealias Window = RequestWindow<String, FakeInstant>

extension Window {
    /// A window with a 10 s deadline, 1 s to wait for a connection, and small bounds.
    static func make(maxInFlight: Int = 2, maxQueued: Int = 2) -> Window {
        Window(
            limits: .init(
                requestTimeout: .seconds(10), connectWait: .seconds(1), maxInFlight: maxInFlight,
                maxQueued: maxQueued))
    }

    /// Admits `name` at `now` with a connection that has room.
    mutating func submit(_ name: String, _ effect: RequestEffect = .readOnly, at now: FakeInstant = .zero) -> Bool {
        admit(name, effect: effect, at: now, connectionHasRoom: true)
    }

    /// Sends everything the window lets out on `generation`; returns the attempt ids by name.
    mutating func sendAll(on generation: Int) -> [String: UInt64] {
        var ids: [String: UInt64] = [:]
        while let entry = nextToSend() {
            let id = makeID()
            recordSent(entry, id: id, generation: generation)
            ids[entry.item] = id
        }
        return ids
    }
}

@Suite struct RequestWindowAdmissionTests {
    @Test func aFullQueueRefusesOnlyWhatCouldNotBeSentAtOnce() {
        var window = Window.make(maxInFlight: 1, maxQueued: 1)
        let first = window.submit("a")
        _ = window.sendAll(on: 0)
        let later = ["b", "c"].map { window.submit($0) }
        #expect(first && later == [true, false], "the queue takes one while the first is out; then overloaded")
        #expect(window.inFlightCount == 1 && window.queuedCount == 1)
    }

    @Test func aRequestThatCanGoOutAtOnceIsTakenEvenWithNoQueue() {
        var window = Window.make(maxInFlight: 4, maxQueued: 0)
        let first = ["a", "b"].map { window.submit($0) }
        #expect(first == [true, false], "a second one would have to wait behind the first")
        #expect(window.sendAll(on: 0).keys.sorted() == ["a"])
        let withRoom = window.submit("c")
        let withoutRoom = window.admit("d", effect: .readOnly, at: .zero, connectionHasRoom: false)
        #expect(withRoom && !withoutRoom, "a connection with no room sends nothing at once")
    }

    @Test func theInFlightBoundHoldsRequestsInTheQueueInOrder() {
        var window = Window.make(maxInFlight: 2, maxQueued: 4)
        #expect(["a", "b", "c", "d"].allSatisfy { window.submit($0) })
        let first = window.sendAll(on: 0)
        #expect(first.keys.sorted() == ["a", "b"])
        #expect(window.nextToSend() == nil, "the window is full")
        #expect(window.take(first["a"]!)?.item == "a")
        #expect(window.sendAll(on: 0).keys.sorted() == ["c"])
        #expect(window.queuedCount == 1 && window.inFlightCount == 2)
    }

    @Test func attemptIDsAreNeverReused() {
        var window = Window.make()
        let ids = (0..<100).map { _ in window.makeID() }
        #expect(Set(ids).count == 100)
    }

    @Test func anAnswerIsTakenOnceAndCountsPerConnection() {
        var window = Window.make()
        _ = window.submit("a")
        _ = window.submit("b")
        let ids = window.sendAll(on: 7)
        #expect(window.inFlightCount(on: 7) == 2)
        #expect(window.take(ids["a"]!) != nil)
        #expect(window.take(ids["a"]!) == nil, "a second answer to the same id finds nothing")
        #expect(window.inFlightCount(on: 7) == 1)
        #expect(window.take(999) == nil)
    }
}

@Suite struct RequestWindowRetryTests {
    @Test func aLostReadOnlyRequestIsRetriedOnceThenFails() {
        var window = Window.make()
        _ = window.submit("depth", .readOnly)
        _ = window.sendAll(on: 0)
        let first = window.connectionLost(0)
        #expect(first.retried == 1 && first.failed.isEmpty)
        let retry = window.sendAll(on: 1)
        #expect(retry.keys.sorted() == ["depth"])
        let second = window.connectionLost(1)
        #expect(second.retried == 0)
        #expect(second.failed.map(\.failure) == [.disconnected(outcomeUnknown: false)])
        #expect(window.isEmpty)
    }

    @Test func aLostStateChangingRequestIsNeverResentAndItsOutcomeIsUnknown() {
        var window = Window.make()
        _ = window.submit("order.place", .stateChanging)
        _ = window.sendAll(on: 0)
        let lost = window.connectionLost(0)
        #expect(lost.retried == 0)
        #expect(lost.failed.map(\.failure) == [.disconnected(outcomeUnknown: true)])
        #expect(window.nextToSend() == nil)
    }

    @Test func aLostConnectionSettlesOnlyItsOwnRequests() {
        var window = Window.make(maxInFlight: 4)
        _ = window.submit("a", .stateChanging)
        _ = window.sendAll(on: 0)
        _ = window.submit("b", .stateChanging)
        _ = window.sendAll(on: 1)
        #expect(window.connectionLost(0).failed.map(\.entry.item) == ["a"])
        #expect(window.inFlightCount == 1 && window.inFlightCount(on: 1) == 1)
    }

    @Test func aRetriedRequestGoesAheadOfNewOnes() {
        var window = Window.make(maxInFlight: 1, maxQueued: 4)
        _ = window.submit("old")
        _ = window.sendAll(on: 0)
        _ = window.submit("new")
        _ = window.connectionLost(0)
        #expect(window.nextToSend()?.item == "old")
    }

    @Test func aRefusedRequestIsResentWhateverItsEffectUpToTheLimit() {
        var window = Window.make()
        _ = window.submit("order.place", .stateChanging)
        for round in 1...4 {
            let id = window.sendAll(on: 0)["order.place"]!
            let entry = window.take(id)!
            #expect(entry.attempts == 1, "a refusal is not an attempt the server processed")
            let failure = window.resendUnprocessed(entry)
            #expect(failure == (round <= 3 ? nil : .unavailable), "round \(round)")
        }
        #expect(window.isEmpty)
    }

    @Test func aStreamResetAfterARefusalStillAllowsOneRetry() {
        var window = Window.make()
        _ = window.submit("depth")
        var id = window.sendAll(on: 0)["depth"]!
        #expect(window.resendUnprocessed(window.take(id)!) == nil)
        id = window.sendAll(on: 0)["depth"]!
        #expect(window.settleLost(window.take(id)!) == nil, "first processed attempt: retried")
        id = window.sendAll(on: 0)["depth"]!
        #expect(window.settleLost(window.take(id)!) == .disconnected(outcomeUnknown: false))
    }
}

@Suite struct RequestWindowDeadlineTests {
    @Test func anAttemptOnTheWirePastItsDeadlineTimesOut() {
        var window = Window.make()
        _ = window.submit("a", at: .zero)
        _ = window.submit("b", at: .seconds(5))
        let ids = window.sendAll(on: 3)
        #expect(window.expire(at: .milliseconds(9_999), connectless: false).isEmpty)
        let expired = window.expire(at: .seconds(10), connectless: false)
        #expect(expired.inFlight.map(\.id) == [ids["a"]!])
        #expect(expired.waiting.isEmpty)
        #expect(window.inFlightCount(on: 3) == 1)
        #expect(window.take(ids["a"]!) == nil, "a late answer finds nothing")
    }

    @Test func aRequestNeverSentFailsUnavailableAtItsDeadline() {
        var window = Window.make()
        _ = window.admit("a", effect: .readOnly, at: .zero, connectionHasRoom: false)
        #expect(window.expire(at: .seconds(5), connectless: false).isEmpty, "a connection is being opened")
        let expired = window.expire(at: .seconds(10), connectless: false)
        #expect(expired.waiting.map(\.failure) == [.unavailable])
    }

    @Test func withNoConnectionComingARequestWaitsOnlyConnectWait() {
        var window = Window.make()
        _ = window.admit("a", effect: .readOnly, at: .zero, connectionHasRoom: false)
        _ = window.admit("b", effect: .readOnly, at: .milliseconds(500), connectionHasRoom: false)
        #expect(window.expire(at: .milliseconds(999), connectless: true).isEmpty)
        let expired = window.expire(at: .seconds(1), connectless: true)
        #expect(expired.waiting.map(\.entry.item) == ["a"])
        #expect(expired.waiting.map(\.failure) == [.unavailable])
        #expect(window.queuedCount == 1)
    }

    @Test func aRetryWaitingPastItsDeadlineTimesOutRatherThanUnavailable() {
        var window = Window.make()
        _ = window.submit("depth")
        _ = window.sendAll(on: 0)
        _ = window.connectionLost(0)
        #expect(window.expire(at: .seconds(2), connectless: true).isEmpty, "it was sent: connectWait does not apply")
        let expired = window.expire(at: .seconds(10), connectless: true)
        #expect(expired.waiting.map(\.failure) == [.timedOut])
    }

    @Test func connectWaitNeverOutlastsTheRequestTimeout() {
        var window = Window(
            limits: .init(requestTimeout: .milliseconds(300), connectWait: .seconds(1), maxInFlight: 1, maxQueued: 1))
        _ = window.admit("a", effect: .readOnly, at: .zero, connectionHasRoom: false)
        #expect(window.nextToSend()?.connectDeadline == .milliseconds(300))
    }
}

@Suite struct RequestWindowShutdownTests {
    @Test func drainingFailsQueuedAsShuttingDownAndSentAsDisconnected() {
        var window = Window.make(maxInFlight: 2, maxQueued: 4)
        _ = window.submit("read", .readOnly)
        _ = window.submit("order", .stateChanging)
        _ = window.sendAll(on: 0)
        _ = window.submit("queued")
        let ended = window.drain()
        #expect(ended.first?.entry.item == "queued" && ended.first?.failure == .shuttingDown)
        let sent = Dictionary(uniqueKeysWithValues: ended.dropFirst().map { ($0.entry.item, $0.failure) })
        #expect(sent == ["read": .disconnected(outcomeUnknown: false), "order": .disconnected(outcomeUnknown: true)])
        #expect(window.isEmpty && window.inFlightCount(on: 0) == 0)
    }
}
