import Testing

@testable import HTTPServer

/// An HTTP connection's phase without a socket: which events move it where, and what each asks the connection to do.
@Suite("HTTP connection phase")
struct HTTPConnectionPhaseTests {
    @Test func aServingConnectionDecodesAndWaitsForTheNextRequest() {
        let phase = HTTPConnectionPhase()
        #expect(phase.isDecoding)
        #expect(!phase.isClosed)
        #expect(phase.keepsAlive(requested: true, last: true))
        #expect(!phase.keepsAlive(requested: false, last: false))
        #expect(phase.outputDrained(isBetweenRequests: true, peerClosed: false) == .keepServing)
        #expect(phase.outputDrained(isBetweenRequests: true, peerClosed: true) == .close)
    }

    @Test func aStoppedConnectionLingersOnceItsAnswersAreSentThenCloses() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        #expect(phase.state == .finishing(shuttingDown: false))
        #expect(!phase.isDecoding)
        #expect(phase.outputDrained(isBetweenRequests: true, peerClosed: false) == .linger)
        #expect(phase.outputDrained(isBetweenRequests: false, peerClosed: true) == .linger, "the answers go out first")
        phase.linger()
        #expect(phase.isLingering)
        #expect(!phase.isDecoding)
        #expect(!phase.isClosed)
        let closes = phase.close()
        #expect(closes)
        #expect(phase.isClosed)
    }

    @Test func aShutdownClosesOnlyBetweenRequestsAndEndsTheLastKeepAlive() {
        var phase = HTTPConnectionPhase()
        phase.shutdown()
        #expect(phase.state == .serving(shuttingDown: true))
        #expect(phase.isDecoding, "requests already sent are still answered")
        #expect(phase.outputDrained(isBetweenRequests: false, peerClosed: false) == .keepServing)
        #expect(phase.outputDrained(isBetweenRequests: true, peerClosed: false) == .close)
        #expect(!phase.keepsAlive(requested: true, last: true))
        #expect(phase.keepsAlive(requested: true, last: false))
    }

    @Test func aShutdownIsRememberedAcrossPhases() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        phase.shutdown()
        #expect(phase.state == .finishing(shuttingDown: true))
        phase.linger()
        #expect(phase.state == .lingering(shuttingDown: true))
        #expect(phase.isShuttingDown)
        var other = HTTPConnectionPhase()
        other.shutdown()
        other.stopDecoding()
        #expect(other.state == .finishing(shuttingDown: true))
    }

    @Test func aHandedOverConnectionIsNoLongerHTTPs() {
        var phase = HTTPConnectionPhase()
        phase.handOver()
        #expect(phase.state == .handedOver)
        #expect(phase.isClosed)
        #expect(!phase.isDecoding)
        let closes = phase.close()
        #expect(!closes, "the socket belongs to the upgraded connection")
        phase.shutdown()
        phase.stopDecoding()
        #expect(phase.state == .handedOver)
    }

    @Test func anUpgradeMayBeTheLastRequest() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        phase.handOver()
        #expect(phase.state == .handedOver)
    }

    @Test func aConnectionClosesOnce() {
        var phase = HTTPConnectionPhase()
        let first = phase.close()
        #expect(first)
        let second = phase.close()
        #expect(!second)
        phase.shutdown()
        phase.stopDecoding()
        #expect(phase.state == .closed)
        #expect(!phase.isShuttingDown)
    }
}
