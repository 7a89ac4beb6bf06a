import Testing

@testable import RESTClient

@Suite struct HTTP1ExchangeStateTests {
    @Test func oneRequestIsOnTheWireAtATime() {
        var state = HTTP1ExchangeState()
        #expect(state.capacity == 1 && state.isAccepting)
        let sent = state.send(1)
        #expect(sent)
        #expect(state.capacity == 0 && state.current == 1)
        let pipelined = state.send(2)
        #expect(!pipelined, "no pipelining")
        #expect(state.responseReceived(keepAlive: true) == .deliver(id: 1, close: false))
        #expect(state.capacity == 1 && state.current == nil)
        let next = state.send(2)
        #expect(next)
    }

    @Test func aResponseWithoutKeepAliveIsDeliveredThenTheConnectionCloses() {
        var state = HTTP1ExchangeState()
        _ = state.send(1)
        #expect(state.responseReceived(keepAlive: false) == .deliver(id: 1, close: true))
        #expect(!state.isAccepting && state.capacity == 0)
        let afterClose = state.send(2)
        #expect(!afterClose)
        #expect(state.streamEnded() == .init(current: nil, failure: nil))
    }

    @Test func aResponseNobodyAskedForEndsTheConnectionAndIsNamedAtItsEnd() {
        var state = HTTP1ExchangeState()
        #expect(state.responseReceived(keepAlive: true) == .unexpected)
        #expect(!state.isAccepting)
        #expect(state.streamEnded() == .init(current: nil, failure: "a response nobody asked for"))
        #expect(state.isClosed)
    }

    @Test func cancellingTheRequestOnTheWireClosesTheConnection() {
        var state = HTTP1ExchangeState()
        _ = state.send(7)
        let other = state.cancel(8)
        #expect(!other, "not the request on the wire")
        #expect(state.isAccepting)
        let onTheWire = state.cancel(7)
        #expect(onTheWire)
        #expect(!state.isAccepting && state.current == nil)
        #expect(state.streamEnded() == .init(current: nil, failure: nil), "no event follows a cancelled request")
    }

    @Test func aConnectionClosedWithARequestOnTheWireHandsItToTheEnd() {
        var state = HTTP1ExchangeState()
        _ = state.send(3)
        state.close()
        #expect(state.capacity == 0 && state.current == 3)
        #expect(state.streamEnded() == .init(current: 3, failure: nil), "a body read to the end may answer it")
    }

    @Test func aProtocolFailureIsNamedAtTheEndEvenAfterAClose() {
        var state = HTTP1ExchangeState()
        _ = state.send(1)
        state.protocolFailure("malformed status line")
        state.close()
        #expect(state.streamEnded() == .init(current: 1, failure: "malformed status line"))
        #expect(state.streamEnded() == .init(current: nil, failure: nil), "ended once")
    }
}
