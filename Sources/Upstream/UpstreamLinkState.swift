import HTTP1
import Transport
import WebSocket

/// The upstream WebSocket link's life and its keep-alive and control-frame rules, as a pure
/// state machine: each event returns what `WebSocketUpstreamLink` must do, and the link only
/// carries it out. Every time comes in as an argument, so tests pass made-up instants.
///
/// handshaking → open → closing → closed, or handshaking → closed when the handshake fails.
/// While open, at most one pong is owed (to the latest ping) and at most one retry of it is
/// scheduled, within `ControlFrameLimiter`'s 5 control frames a second. Owned by the link's queue.
struct UpstreamLinkState {
    enum State {
        /// The opening handshake is under way; `received` holds the response bytes so far.
        case handshaking(parser: HTTPResponseHeadParser, key: String, received: [UInt8])
        /// `pongOwed` answers the latest ping not yet answered; `retryScheduled` is true while
        /// a `controlRetryDue` is pending.
        case open(pongOwed: [UInt8]?, retryScheduled: Bool)
        /// A close is under way; `reason` is what the owner will be told, if not the
        /// transport's own error.
        case closing(reason: Reason?)
        case closed
    }

    /// Why the link ended or failed to open.
    enum Reason: Sendable, Hashable {
        case link(UpstreamLinkError)
        case protocolViolation(WebSocketProtocolError)
        case transport(TransportError)

        /// The error the owner passes on.
        var error: any Error {
            switch self {
            case .link(let error): error
            case .protocolViolation(let error): error
            case .transport(let error): error
            }
        }
    }

    enum HandshakeStep: Equatable {
        case incomplete
        /// The link is open; `leftover` holds frame bytes that came with the answer.
        case opened(leftover: [UInt8])
        /// Close the stream and fail the connect with `reason`.
        case failed(Reason)
    }

    enum ControlStep: Equatable {
        case none
        case sendPong([UInt8])
        /// The limiter is full: call `controlRetryDue` after the wait.
        case retry(after: Duration)
    }

    /// What to do with a close frame or a protocol error from the peer.
    enum PeerClosing: Equatable {
        /// Nothing: the link was already ending.
        case none
        /// Send a close frame with `reply` when given, then close the stream once it is written.
        case closeAfterFlushing(reply: WebSocketCloseCode?)
        /// The same, after logging the violation.
        case violation(WebSocketProtocolError, reply: WebSocketCloseCode?)
    }

    enum CloseStep: Equatable {
        case none
        /// Close the stream and fail the connect with `reason`.
        case failHandshake(Reason)
        /// Send a normal close frame; call `closeGraceElapsed` after `grace`.
        case sendClose(grace: Duration)
    }

    enum TickStep: Equatable {
        case none
        /// Close the stream and fail the connect with `reason`.
        case failHandshake(Reason)
        case sendPing
        /// Log the silence and close the stream at once.
        case declareDead(silentFor: Duration)
    }

    enum EndStep: Equatable {
        case none
        /// The connect fails with `reason`.
        case failHandshake(Reason)
        /// Tell the owner the link ended, with `reason` (nil: closed as asked).
        case report(Reason?)
    }

    /// How long a close of ours waits for the server's close frame.
    static let closeGrace = Duration.seconds(1)

    private(set) var state: State
    private var liveness: LinkLiveness
    private var limiter: ControlFrameLimiter
    let handshakeTimeout: Duration

    init(
        key: String, pingInterval: Duration, deadAfter: Duration, handshakeTimeout: Duration,
        openedAt: ContinuousClock.Instant, limiter: ControlFrameLimiter = ControlFrameLimiter()
    ) {
        state = .handshaking(parser: HTTPResponseHeadParser(), key: key, received: [])
        liveness = LinkLiveness(
            pingInterval: pingInterval, deadAfter: deadAfter, handshakeTimeout: handshakeTimeout, openedAt: openedAt)
        self.limiter = limiter
        self.handshakeTimeout = handshakeTimeout
    }

    /// How often `tick` should run.
    var tickInterval: Duration { liveness.checkInterval }

    var isHandshaking: Bool {
        if case .handshaking = state { true } else { false }
    }

    var isOpen: Bool {
        if case .open = state { true } else { false }
    }

    /// Closing or closed: no further frame is read or sent.
    var isEnded: Bool {
        switch state {
        case .closing, .closed: true
        case .handshaking, .open: false
        }
    }

    /// Anything arrived: the peer is alive.
    mutating func bytesReceived(at now: ContinuousClock.Instant) {
        liveness.received(at: now)
    }

    /// Bytes of the handshake answer, while handshaking.
    mutating func handshakeReceived(_ bytes: some Sequence<UInt8>) -> HandshakeStep {
        guard case .handshaking(var parser, let key, var received) = state else { return .incomplete }
        received.append(contentsOf: bytes)
        switch received.withUnsafeBufferPointer({ parser.parse($0) }) {
        case .incomplete:
            state = .handshaking(parser: parser, key: key, received: received)
            return .incomplete
        case .failure(let failure):
            return .failed(endHandshake(.link(.handshake("\(failure)"))))
        case .complete(let head, let length):
            do {
                try WebSocketHandshake.validateResponse(head, key: key)
            } catch {
                return .failed(endHandshake(.link(.handshake("\(error)"))))
            }
            state = .open(pongOwed: nil, retryScheduled: false)
            return .opened(leftover: Array(received[length...]))
        }
    }

    /// A ping arrived: the latest one is owed a pong.
    mutating func pingReceived(_ payload: [UInt8], at now: ContinuousClock.Instant) -> ControlStep {
        guard case .open(_, let retryScheduled) = state else { return .none }
        state = .open(pongOwed: payload, retryScheduled: retryScheduled)
        return sendControlFrames(at: now)
    }

    /// The wait a `.retry` asked for is over.
    mutating func controlRetryDue(at now: ContinuousClock.Instant) -> ControlStep {
        guard case .open(let pongOwed, _) = state else { return .none }
        state = .open(pongOwed: pongOwed, retryScheduled: false)
        return sendControlFrames(at: now)
    }

    private mutating func sendControlFrames(at now: ContinuousClock.Instant) -> ControlStep {
        guard case .open(let pongOwed?, false) = state else { return .none }
        if let wait = limiter.admit(now: now) {
            state = .open(pongOwed: pongOwed, retryScheduled: true)
            return .retry(after: wait)
        }
        state = .open(pongOwed: nil, retryScheduled: false)
        return .sendPong(pongOwed)
    }

    /// A close frame arrived with `payload`.
    mutating func closeReceived(_ payload: [UInt8]) -> PeerClosing {
        let close: WebSocketClosePayload
        do {
            close = try WebSocketClosePayload(parsing: payload)
        } catch {
            return protocolViolation(error)
        }
        guard isReading else { return .none }
        let reply = isOpen ? (close.code ?? .normalClosure) : nil
        state = .closing(reason: .link(.closedByPeer(code: close.code?.rawValue, reason: close.reason)))
        return .closeAfterFlushing(reply: reply)
    }

    /// The peer's frames broke RFC 6455.
    mutating func protocolViolation(_ error: WebSocketProtocolError) -> PeerClosing {
        guard isReading else { return .none }
        let reply = isOpen ? error.closeCode : nil
        state = .closing(reason: .protocolViolation(error))
        return .violation(error, reply: reply)
    }

    /// The owner closes the link.
    mutating func closeRequested() -> CloseStep {
        switch state {
        case .handshaking: return .failHandshake(endHandshake(.link(.closedDuringHandshake)))
        case .open:
            state = .closing(reason: nil)
            return .sendClose(grace: Self.closeGrace)
        case .closing, .closed: return .none
        }
    }

    /// The grace of a close of ours is over: true if the stream should be dropped now.
    func closeGraceElapsed() -> Bool {
        if case .closing = state { true } else { false }
    }

    /// The periodic check: handshake timeout, keep-alive ping, dead peer.
    mutating func tick(at now: ContinuousClock.Instant) -> TickStep {
        switch state {
        case .handshaking:
            guard liveness.check(at: now, handshaking: true) == .handshakeTimedOut else { return .none }
            return .failHandshake(endHandshake(.link(.handshake("no handshake answer within \(handshakeTimeout)"))))
        case .open:
            switch liveness.check(at: now, handshaking: false) {
            case .dead(let silence):
                state = .closing(reason: .link(.unresponsive(silence)))
                return .declareDead(silentFor: silence)
            case .ping:
                guard limiter.admit(now: now) == nil else { return .none }
                liveness.pingSent()
                return .sendPing
            case .fine, .handshakeTimedOut:
                return .none
            }
        case .closing, .closed:
            return .none
        }
    }

    /// The stream ended: `error` is nil after a close of ours.
    mutating func streamEnded(_ error: TransportError?) -> EndStep {
        switch state {
        case .handshaking:
            let reason: Reason =
                error.map { .transport($0) } ?? .link(.handshake("connection closed during the handshake"))
            return .failHandshake(endHandshake(reason))
        case .open:
            state = .closed
            return .report(error.map { .transport($0) } ?? .link(.closedByPeer(code: nil, reason: "")))
        case .closing(let reason):
            state = .closed
            return .report(reason ?? error.map { .transport($0) })
        case .closed:
            return .none
        }
    }

    /// Frames are being read: open, or closing.
    private var isReading: Bool {
        switch state {
        case .open, .closing: true
        case .handshaking, .closed: false
        }
    }

    private mutating func endHandshake(_ reason: Reason) -> Reason {
        state = .closed
        return reason
    }
}
