import Testing
import Transport
import WebSocket

@testable import Upstream

@Suite struct UpstreamLinkStateTests {
    private let start = ContinuousClock.Instant.now
    private let key = "dGhlIHNhbXBsZSBub25jZQ=="

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    private func handshaking() -> UpstreamLinkState {
        UpstreamLinkState(
            key: key, pingInterval: .seconds(30), deadAfter: .seconds(90), handshakeTimeout: .seconds(10),
            openedAt: start)
    }

    private func answer(accept: String? = nil) -> [UInt8] {
        let accept = accept ?? WebSocketHandshake.acceptValue(for: key)
        return Array(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(accept)\r\n\r\n").utf8)
    }

    private func open() -> UpstreamLinkState {
        var state = handshaking()
        #expect(state.handshakeReceived(answer()) == .opened(leftover: []))
        return state
    }

    @Test func anAnswerSplitAnywhereOpensTheLinkAndKeepsTheFramesBehindIt() {
        let frame: [UInt8] = [0x81, 0x02, 0x68, 0x69]
        var state = handshaking()
        let bytes = answer() + frame
        for byte in bytes.dropLast(frame.count + 1) { #expect(state.handshakeReceived([byte]) == .incomplete) }
        #expect(state.handshakeReceived(bytes.suffix(frame.count + 1)) == .opened(leftover: frame))
        #expect(state.isOpen)
    }

    @Test func aWrongAcceptValueFailsTheHandshakeForGood() {
        var state = handshaking()
        guard case .failed(.link(.handshake)) = state.handshakeReceived(answer(accept: "wrong")) else {
            Issue.record("a wrong Sec-WebSocket-Accept must fail the handshake")
            return
        }
        #expect(state.isEnded)
        #expect(state.streamEnded(.closedByPeer) == .none, "the connect was already failed once")
    }

    @Test func aMalformedAnswerFailsTheHandshake() {
        var state = handshaking()
        guard case .failed(.link(.handshake)) = state.handshakeReceived(Array("HTTP/1.1 101\nbad\n\n".utf8)) else {
            Issue.record("a malformed head must fail the handshake")
            return
        }
        #expect(!state.isOpen)
    }

    @Test func aHandshakeWithoutAnAnswerTimesOutOnTheTick() {
        var state = handshaking()
        #expect(state.tick(at: at(9_999)) == .none)
        #expect(
            state.tick(at: at(10_000)) == .failHandshake(.link(.handshake("no handshake answer within 10.0 seconds"))))
        #expect(state.tick(at: at(20_000)) == .none)
    }

    @Test func closingOrLosingTheStreamDuringTheHandshakeFailsTheConnect() {
        var closed = handshaking()
        #expect(closed.closeRequested() == .failHandshake(.link(.closedDuringHandshake)))
        #expect(closed.closeRequested() == .none)
        var lost = handshaking()
        #expect(lost.streamEnded(.closedByPeer) == .failHandshake(.transport(.closedByPeer)))
        var ended = handshaking()
        #expect(ended.streamEnded(nil) == .failHandshake(.link(.handshake("connection closed during the handshake"))))
    }

    @Test func pingsAreAnsweredWithinFiveControlFramesASecondAndOnlyTheLatest() {
        var state = open()
        for index in 0..<5 { #expect(state.pingReceived([UInt8(index)], at: at(index)) == .sendPong([UInt8(index)])) }
        #expect(state.pingReceived([5], at: at(100)) == .retry(after: .milliseconds(900)))
        #expect(state.pingReceived([6], at: at(200)) == .none, "one retry is scheduled already")
        #expect(state.controlRetryDue(at: at(1_000)) == .sendPong([6]), "the latest ping is the one answered")
        #expect(state.controlRetryDue(at: at(1_100)) == .none, "nothing is owed any more")
    }

    @Test func aQuietLinkIsPingedOnceThenDeclaredDeadAndReportedSo() {
        var state = open()
        #expect(state.tick(at: at(29_999)) == .none)
        #expect(state.tick(at: at(30_000)) == .sendPing)
        #expect(state.tick(at: at(45_000)) == .none, "one ping outstanding at a time")
        #expect(state.tick(at: at(90_000)) == .declareDead(silentFor: .seconds(90)))
        #expect(state.isEnded)
        #expect(state.streamEnded(nil) == .report(.link(.unresponsive(.seconds(90)))))
    }

    @Test func anythingReceivedPostponesTheKeepAlivePing() {
        var state = open()
        state.bytesReceived(at: at(20_000))
        #expect(state.tick(at: at(30_000)) == .none)
        #expect(state.tick(at: at(50_000)) == .sendPing)
    }

    @Test func aKeepAlivePingWaitsWhenTheControlFrameLimitIsReached() {
        var state = open()
        for index in 0..<5 { _ = state.pingReceived([], at: at(29_500 + index)) }
        #expect(state.tick(at: at(30_000)) == .none)
        #expect(state.tick(at: at(30_600)) == .sendPing)
    }

    @Test func aPeerCloseIsEchoedWithItsCodeAndReportedWithItsReason() {
        var state = open()
        let payload = WebSocketClosePayload(code: .goingAway, reason: "maintenance").bytes
        #expect(state.closeReceived(payload) == .closeAfterFlushing(reply: .goingAway))
        #expect(!state.isOpen && state.isEnded)
        #expect(state.pingReceived([1], at: at(1)) == .none, "no pong once closing")
        #expect(state.streamEnded(nil) == .report(.link(.closedByPeer(code: 1001, reason: "maintenance"))))
        #expect(state.streamEnded(nil) == .none, "reported once")
    }

    @Test func anEmptyPeerCloseIsAnsweredWithANormalClosure() {
        var state = open()
        #expect(state.closeReceived([]) == .closeAfterFlushing(reply: .normalClosure))
        #expect(state.streamEnded(.closedByPeer) == .report(.link(.closedByPeer(code: nil, reason: ""))))
    }

    @Test func aMalformedCloseFrameIsAProtocolViolation() {
        var state = open()
        guard case .violation(let error, let reply) = state.closeReceived([0x03]) else {
            Issue.record("a one-byte close payload breaks RFC 6455")
            return
        }
        #expect(reply == error.closeCode)
        #expect(state.streamEnded(nil) == .report(.protocolViolation(error)))
    }

    @Test func aProtocolViolationWhileClosingSendsNoSecondCloseFrame() {
        var state = open()
        #expect(state.closeRequested() == .sendClose(grace: .seconds(1)))
        #expect(state.protocolViolation(.reservedBitsSet) == .violation(.reservedBitsSet, reply: nil))
        #expect(state.streamEnded(nil) == .report(.protocolViolation(.reservedBitsSet)))
    }

    @Test func aCloseOfOursIsReportedWithoutAnErrorAndDropsTheStreamAfterTheGrace() {
        var state = open()
        #expect(state.closeRequested() == .sendClose(grace: .seconds(1)))
        #expect(state.closeRequested() == .none, "one close frame")
        #expect(state.closeGraceElapsed())
        #expect(state.streamEnded(nil) == .report(nil))
        #expect(!state.closeGraceElapsed(), "nothing left to drop")
    }

    @Test func anOpenLinkLostReportsTheTransportError() {
        var state = open()
        #expect(state.streamEnded(.closedByPeer) == .report(.transport(.closedByPeer)))
        #expect(state.tick(at: at(100_000)) == .none)
    }
}
