import Testing

@testable import Simulator

/// `StreamSubscriptions`, the per-connection state machine, without a socket: routing of stream
/// names, duplicates, the stream limit and the message rate on an injected clock.
@Suite struct StreamSubscriptionsTests {
    @Test(arguments: [
        ("btcusdt@bookTicker", true), ("!bookTicker", true), ("btcusdt@depth", true), ("btcusdt@depth@100ms", true),
        ("btcusdt@depth20@500ms", true), ("btcusdt@rpiDepth@500ms", true), ("btcusdt@aggTrade", false),
        ("btcusdt@markPrice@1s", false), ("!markPrice@arr", false), ("btcusdt@kline_1m", false),
        ("!ticker@arr", false),
    ])
    func streamsAreRoutedAsTheExchangeSplitsThem(_ name: String, _ isPublic: Bool) {
        #expect(StreamRoute.of(stream: name) == (isPublic ? .public : .market))
        #expect(StreamRoute.legacy.carries(name) == isPublic, "unrouted connections carry public data only")
        #expect(StreamRoute.market.carries(name) == !isPublic)
    }

    @Test func aRepeatedSubscriptionIsKeptOnceInItsFirstPlace() {
        var state = StreamSubscriptions(route: .public, streams: ["a@depth", "a@depth"], combined: true)
        _ = state.receive(Array(#"{"method":"SUBSCRIBE","params":["b@depth","a@depth"],"id":1}"#.utf8), now: 0)
        #expect(state.streams == ["a@depth", "b@depth"] && state.subscribeMessages == 1)
    }

    @Test func theRateWindowSlidesWithTheClock() {
        var state = StreamSubscriptions(route: .market, streams: [], combined: false)
        let list = Array(#"{"method":"LIST_SUBSCRIPTIONS","id":1}"#.utf8)
        for tick in 0..<10 { #expect(state.receive(list, now: Int64(tick) * 10) == .reply(#"{"result":[],"id":1}"#)) }
        #expect(state.receive(list, now: 999) == .close(reason: "too many messages"))
        var slower = StreamSubscriptions(route: .market, streams: [], combined: false)
        for tick in 0..<40 {
            #expect(slower.receive(list, now: Int64(tick) * 101) != .close(reason: "too many messages"))
        }
    }

    @Test func aSubscriptionPastTheLimitChangesNothing() {
        var state = StreamSubscriptions(route: .market, streams: (0..<1023).map { "s\($0)@aggTrade" }, combined: false)
        let two = Array(#"{"method":"SUBSCRIBE","params":["x@aggTrade","y@aggTrade"],"id":7}"#.utf8)
        guard case .reply(let text) = state.receive(two, now: 0) else { return #expect(Bool(false)) }
        #expect(text.hasPrefix(#"{"error":{"code":2,"#) && text.hasSuffix(#""id":7}"#))
        #expect(state.streams.count == 1023)
    }
}
