/// When a quiet upstream link gets a ping of ours, and when it counts as dead: the
/// keep-alive rules of `UpstreamLinkState` as a pure value; every time comes in as an
/// argument, so tests pass made-up instants.
///
/// Anything received proves the peer alive and answers an outstanding ping. Owned by its
/// link's queue.
struct LinkLiveness {

    enum Verdict: Equatable {
        case fine
        /// Quiet for `pingInterval` with no ping of ours outstanding: send one.
        case ping
        /// No complete handshake answer within `handshakeTimeout`.
        case handshakeTimedOut
        /// Nothing received for `deadAfter`.
        case dead(silentFor: Duration)
    }

    let pingInterval: Duration
    let deadAfter: Duration
    let handshakeTimeout: Duration
    private(set) var lastReceived: ContinuousClock.Instant
    private(set) var pingOutstanding = false

    init(pingInterval: Duration, deadAfter: Duration, handshakeTimeout: Duration, openedAt: ContinuousClock.Instant) {
        self.pingInterval = pingInterval
        self.deadAfter = deadAfter
        self.handshakeTimeout = handshakeTimeout
        lastReceived = openedAt
    }

    /// How often `check` should run to notice each limit in time.
    var checkInterval: Duration { min(pingInterval, deadAfter, handshakeTimeout) / 4 }

    mutating func received(at now: ContinuousClock.Instant) {
        lastReceived = now
        pingOutstanding = false
    }

    mutating func pingSent() { pingOutstanding = true }

    func check(at now: ContinuousClock.Instant, handshaking: Bool) -> Verdict {
        let silence = lastReceived.duration(to: now)
        if handshaking { return silence >= handshakeTimeout ? .handshakeTimedOut : .fine }
        if silence >= deadAfter { return .dead(silentFor: silence) }
        if silence >= pingInterval && !pingOutstanding { return .ping }
        return .fine
    }
}
