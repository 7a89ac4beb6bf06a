import RawJSON
import Streams
import Testing

/// The hub's bookkeeping without sockets: reference counts, connection assignment, pacing,
/// reconnects with gaps, silence, rotation.
@Suite struct StreamHubStateTests {
    static let second: UInt64 = 1_000_000_000

    /// The control messages among `actions`, as (link, method, streams, id).
    static func messages(_ actions: [StreamHubAction]) -> [(StreamLinkID, String, [String], UInt64)] {
        actions.compactMap { action in
            guard case .send(let link, let frame) = action, let object = try? JSONObject(parsing: frame),
                let method = object["method"]?.string, let id = object["id"]?.integer
            else { return nil }
            let streams = object["params"]?.array?.compactMap(\.string) ?? []
            return (link, method, streams, UInt64(id))
        }
    }

    static func connects(_ actions: [StreamHubAction]) -> [(StreamLinkID, StreamRoute)] {
        actions.compactMap { if case .connect(let id, let route) = $0 { (id, route) } else { nil } }
    }

    /// A state with `stream` subscribed on an open link; returns the link.
    static func opened(_ state: inout StreamHubState, _ stream: String, now: UInt64 = 0) -> StreamLinkID {
        let link = connects(state.subscribe(stream, now: now))[0].0
        _ = state.linkOpened(link, now: now)
        return link
    }

    @Test func hundredSubscribersMakeOneUpstreamSubscriptionAndTheLastLeavingUnsubscribes() {
        var state = StreamHubState()
        let first = state.subscribe("btcusdt@depth", now: 0)
        #expect(Self.connects(first).map(\.1) == [.public])
        let link = Self.connects(first)[0].0
        for _ in 1..<100 { #expect(state.subscribe("btcusdt@depth", now: 0).isEmpty) }
        let subscribed = Self.messages(state.linkOpened(link, now: 1))
        #expect(subscribed.map(\.1) == ["SUBSCRIBE"])
        #expect(subscribed.first?.2 == ["btcusdt@depth"])
        #expect(state.subscriberCount("btcusdt@depth") == 100)
        for _ in 1..<100 { #expect(state.unsubscribe("btcusdt@depth", now: 2).isEmpty) }
        let left = Self.messages(state.unsubscribe("btcusdt@depth", now: 3 * Self.second))
        #expect(left.map(\.1) == ["UNSUBSCRIBE"])
        #expect(left.first?.2 == ["btcusdt@depth"])
        #expect(state.tick(now: 4 * Self.second).isEmpty)
        #expect(state.tick(now: 40 * Self.second) == [.close(link)])
    }

    @Test func publicAndMarketStreamsGoToTheirOwnConnections() {
        var state = StreamHubState()
        let depth = Self.connects(state.subscribe("btcusdt@bookTicker", now: 0))
        let trades = Self.connects(state.subscribe("btcusdt@aggTrade", now: 0))
        #expect(depth.map(\.1) == [.public])
        #expect(trades.map(\.1) == [.market])
        #expect(depth[0].0 != trades[0].0)
    }

    @Test func pastTheStreamLimitAnotherConnectionIsOpened() {
        var settings = StreamHubSettings()
        settings.maxStreamsPerConnection = 3
        var state = StreamHubState(settings: settings)
        var connects: [StreamLinkID] = []
        for index in 0..<7 { connects += Self.connects(state.subscribe("s\(index)@aggTrade", now: 0)).map(\.0) }
        #expect(connects.count == 3)
    }

    @Test func controlMessagesArePacedAndCoalesced() {
        var settings = StreamHubSettings()
        settings.controlMessagesPerSecond = 2
        var state = StreamHubState(settings: settings)
        let link = Self.opened(&state, "a@aggTrade")
        let second = Self.messages(state.subscribe("b@aggTrade", now: 1))
        #expect(second.map(\.2) == [["b@aggTrade"]])
        // The window is full: these wait, then go out together.
        #expect(Self.messages(state.subscribe("c@aggTrade", now: 2)).isEmpty)
        #expect(Self.messages(state.subscribe("d@aggTrade", now: 3)).isEmpty)
        #expect(Self.messages(state.tick(now: Self.second / 2)).isEmpty)
        let later = Self.messages(state.tick(now: Self.second + 1))
        #expect(later.map(\.0) == [link])
        #expect(later.map(\.2) == [["c@aggTrade", "d@aggTrade"]])
    }

    @Test func aLostConnectionSendsAGapThenReconnectsAndResubscribes() {
        var state = StreamHubState()
        let link = Self.opened(&state, "btcusdt@depth")
        _ = state.subscribe("ethusdt@depth", now: 1)
        state.frameReceived(link, isData: true, now: 2)
        let lost = state.linkClosed(link, now: 3, reason: "gone")
        #expect(lost.contains(.gap(["btcusdt@depth", "ethusdt@depth"], reason: "gone")))
        let again = Self.connects(lost)
        #expect(again.count == 1)  // a link that carried data is retried at once
        #expect(!state.delivers(link))
        let resubscribed = Self.messages(state.linkOpened(again[0].0, now: 4))
        #expect(resubscribed.map(\.2) == [["btcusdt@depth", "ethusdt@depth"]])
        #expect(state.delivers(again[0].0))
        #expect(state.reconnects == 1 && state.gaps == 1)
    }

    @Test func failedConnectsBackOff() {
        var state = StreamHubState()
        let first = Self.connects(state.subscribe("x@aggTrade", now: 0))[0].0
        #expect(Self.connects(state.linkClosed(first, now: 0, reason: "refused")).isEmpty)
        #expect(Self.connects(state.tick(now: Self.second / 4)).isEmpty)
        let second = Self.connects(state.tick(now: Self.second / 2))
        #expect(second.count == 1)
        _ = state.linkClosed(second[0].0, now: Self.second / 2, reason: "refused")
        #expect(Self.connects(state.tick(now: Self.second)).isEmpty)  // now 1 s
        #expect(Self.connects(state.tick(now: Self.second * 3 / 2)).count == 1)
    }

    @Test func aSilentConnectionWithSubscriptionsIsReplaced() {
        var settings = StreamHubSettings()
        settings.silentAfter = .seconds(5)
        var state = StreamHubState(settings: settings)
        let link = Self.opened(&state, "btcusdt@depth")
        state.frameReceived(link, isData: true, now: 4 * Self.second)
        #expect(state.tick(now: 8 * Self.second).isEmpty)
        let actions = state.tick(now: 9 * Self.second + 1)
        #expect(actions.first == .close(link))
        #expect(actions.contains { if case .gap = $0 { true } else { false } })
        #expect(Self.connects(actions).count == 1)
    }

    @Test func rotationIsMakeBeforeBreak() {
        var settings = StreamHubSettings()
        settings.rotateAfter = .seconds(10)
        var state = StreamHubState(settings: settings)
        let old = Self.opened(&state, "btcusdt@depth")
        let standby = Self.connects(state.tick(now: 10 * Self.second))
        #expect(standby.count == 1)
        let subscribe = Self.messages(state.linkOpened(standby[0].0, now: 11 * Self.second))
        #expect(subscribe.map(\.0) == [standby[0].0])
        #expect(state.delivers(old) && !state.delivers(standby[0].0))
        let swap = state.replyReceived(standby[0].0, id: subscribe[0].3, now: 11 * Self.second)
        #expect(swap == [.close(old)])
        #expect(state.delivers(standby[0].0) && !state.delivers(old))
        #expect(state.rotations == 1 && state.gaps == 0)
    }
}

@Suite struct StreamControlFrameTests {
    @Test func combinedDataFramesAreFoundWithoutParsing() {
        let frame = Array(#"{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","st":1}}"#.utf8)
        guard case .data(let stream, let range) = StreamControlFrame.classify(frame) else {
            Issue.record("not data")
            return
        }
        #expect(stream == "btcusdt@aggTrade")
        #expect(String(decoding: frame[range], as: UTF8.self) == #"{"e":"aggTrade","st":1}"#)
    }

    @Test func repliesAndErrorsAreRecognised() {
        #expect(StreamControlFrame.classify(Array(#"{"result":null,"id":7}"#.utf8)) == .reply(id: 7))
        guard case .error(let id, _) = StreamControlFrame.classify(Array(#"{"code":2,"msg":"bad","id":3}"#.utf8)) else {
            Issue.record("not an error")
            return
        }
        #expect(id == 3)
    }

    @Test(arguments: [
        #"{"stream":"a b","data":{}}"#, #"{"stream":"x","data":"#, "not json", #"{"stream":"x\"y","data":{}}"#,
    ])
    func hostileFramesAreNotData(_ text: String) {
        if case .data = StreamControlFrame.classify(Array(text.utf8)) { Issue.record("accepted \(text)") }
    }

    @Test func routesFollowTheExchangesTable() {
        #expect(StreamRoute(stream: "btcusdt@depth20@100ms") == .public)
        #expect(StreamRoute(stream: "!bookTicker") == .public)
        #expect(StreamRoute(stream: "btcusdt@rpiDepth@500ms") == .public)
        #expect(StreamRoute(stream: "btcusdt@markPrice@1s") == .market)
        #expect(StreamRoute(stream: "user") == .private)
    }
}
