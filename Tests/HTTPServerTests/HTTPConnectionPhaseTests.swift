import Testing

@testable import HTTPServer

/// An HTTP connection's phase without a socket: which events move it where, and what each asks the connection to do.
@Suite("HTTP connection phase")
struct HTTPConnectionPhaseTests {
    @Test func aServingConnectionDecodesAndWaitsForTheNextRequest() {
        var phase = HTTPConnectionPhase()
        #expect(phase.isDecoding)
        #expect(!phase.isClosed)
        #expect(phase.keepsAlive(requested: true, last: true))
        #expect(!phase.keepsAlive(requested: false, last: false))
        #expect(phase.outputDrained(isBetweenRequests: true) == .keepServing)
        let ended = phase.inputEnded()
        #expect(ended == .answerWhatWasRead)
        #expect(phase.outputDrained(isBetweenRequests: true) == .close)
    }

    @Test func aStoppedConnectionLingersOnceItsAnswersAreSentThenCloses() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        #expect(phase.state == .finishing(shuttingDown: false))
        #expect(!phase.isDecoding)
        #expect(phase.outputDrained(isBetweenRequests: true) == .linger)
        var closedByPeer = phase
        let ended = closedByPeer.inputEnded()
        #expect(ended == .answerWhatWasRead)
        #expect(closedByPeer.outputDrained(isBetweenRequests: false) == .linger, "the answers go out first")
        let lingering = phase.linger()
        #expect(lingering == .drain)
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
        #expect(phase.outputDrained(isBetweenRequests: false) == .keepServing)
        #expect(phase.outputDrained(isBetweenRequests: true) == .close)
        #expect(!phase.keepsAlive(requested: true, last: true))
        #expect(phase.keepsAlive(requested: true, last: false))
    }

    @Test func aShutdownIsRememberedAcrossPhases() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        phase.shutdown()
        #expect(phase.state == .finishing(shuttingDown: true))
        let lingering = phase.linger()
        #expect(lingering == .drain)
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

    @Test func theEndOfInputIsRememberedUntilTheAnswersAreSentThenCloses() {
        var phase = HTTPConnectionPhase()
        phase.shutdown()
        let ended = phase.inputEnded()
        #expect(ended == .answerWhatWasRead)
        #expect(phase.state == .serving(shuttingDown: true, peerClosed: true))
        #expect(phase.peerClosed)
        #expect(phase.isDecoding, "requests already read are still decoded")
        #expect(phase.outputDrained(isBetweenRequests: false) == .close)
        phase.stopDecoding()
        #expect(phase.state == .finishing(shuttingDown: true, peerClosed: true))
        #expect(phase.outputDrained(isBetweenRequests: true) == .linger, "the write side is shut first")
        let lingering = phase.linger()
        #expect(lingering == .close, "nothing is left to drain")
        #expect(!phase.peerClosed)
    }

    @Test func aLingeringConnectionClosesWhenTheClientsInputEnds() {
        var phase = HTTPConnectionPhase()
        phase.stopDecoding()
        let lingering = phase.linger()
        #expect(lingering == .drain)
        let ended = phase.inputEnded()
        #expect(ended == .close)
        #expect(phase.state == .lingering(shuttingDown: false))
    }

    @Test func onlyAServingOrLingeringConnectionReads() {
        var phase = HTTPConnectionPhase()
        #expect(phase.readsInput(mayTakeMore: true))
        #expect(!phase.readsInput(mayTakeMore: false), "a bound is reached or an upgrade waits")
        var closedByPeer = phase
        _ = closedByPeer.inputEnded()
        #expect(!closedByPeer.readsInput(mayTakeMore: true), "nothing more will come")
        phase.stopDecoding()
        #expect(!phase.readsInput(mayTakeMore: true))
        _ = phase.linger()
        #expect(phase.readsInput(mayTakeMore: false), "draining reads whatever the bounds")
        _ = phase.close()
        #expect(!phase.readsInput(mayTakeMore: true))
        var handedOver = HTTPConnectionPhase()
        handedOver.handOver()
        #expect(!handedOver.readsInput(mayTakeMore: true))
    }
}
