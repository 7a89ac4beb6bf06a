import Dispatch
import EventLoops
import HTTPServer
import Logging
import Synchronization
import WebSocket

#if canImport(Glibc)
import Glibc
#endif

/// One client's WebSocket connection on our server: the server side of RFC 6455.
///
/// It exists so the simulator can speak Binance's WebSocket API to the gateway (or any client)
/// on our own sockets. It decodes masked client frames, reassembles and validates messages,
/// answers pings, pings the client itself and drops it when it stops answering, runs the
/// closing handshake, and may close with 1001 after `maxAge`, as Binance does after 24 h.
/// All state is confined to the upgraded connection's queue, hence `@unchecked Sendable`.
public final class WebSocketServerConnection: @unchecked Sendable {
    private static let counter = Atomic<Int>(0)

    private enum State { case open, closing, closed }

    /// Unique in the process, from 1.
    public let id: Int
    /// When the handshake completed.
    public let connectedAt: ContinuousClock.Instant
    /// The same moment in milliseconds since the Unix epoch, for session state and reports.
    public let connectedAtMillis: Int64
    /// Every callback runs here; call every method only here.
    public var queue: DispatchQueue { upgraded.queue }
    /// Pongs received (answers to our pings, or unsolicited).
    public private(set) var pongsReceived = 0
    /// The close code sent first by either side, once the closing handshake began.
    public private(set) var closeCode: WebSocketCloseCode?

    private let upgraded: UpgradedConnection
    private let settings: WebSocketServerSettings
    private let logger: Logger
    private let onText: WebSocketEndpoint.TextHandler
    private let onClose: @Sendable (WebSocketServerConnection) -> Void
    private var state = State.open
    private var reader: WebSocketReader
    private var encoder = WebSocketFrameEncoder(role: .server)
    private var nextPingAt: DispatchTime
    /// When the oldest unanswered ping went out.
    private var pingOutstandingSince: DispatchTime?
    private var timer: DispatchSourceTimer?

    init(
        upgraded: UpgradedConnection, settings: WebSocketServerSettings, logger: Logger,
        onText: @escaping WebSocketEndpoint.TextHandler,
        onClose: @escaping @Sendable (WebSocketServerConnection) -> Void
    ) {
        id = Self.counter.wrappingAdd(1, ordering: .relaxed).newValue
        connectedAt = .now
        connectedAtMillis = WallClock.milliseconds
        self.upgraded = upgraded
        self.settings = settings
        var logger = logger
        logger[metadataKey: "websocket"] = "\(id)"
        self.logger = logger
        self.onText = onText
        self.onClose = onClose
        reader = WebSocketReader(role: .server, maxMessageSize: settings.maxMessageSize)
        nextPingAt = .now() + settings.pingInterval.dispatch
    }

    /// Starts reading, the ping timer and the `maxAge` deadline. Called once, by the endpoint.
    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        upgraded.start(onBytes: { [self] bytes in received(bytes) }, onClose: { [self] in ended() })
        let tick = max(min(settings.pingInterval, settings.pongTimeout) / 4, .milliseconds(5))
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in self?.checkLiveness() }
        timer.schedule(
            deadline: .now() + tick.dispatch, repeating: tick.dispatch,
            leeway: .milliseconds(5))
        timer.activate()
        self.timer = timer
        if let maxAge = settings.maxAge {
            queue.asyncAfter(deadline: .now() + maxAge.dispatch) { [weak self] in
                guard let self else { return }
                dispatchPrecondition(condition: .onQueue(queue))
                guard state == .open else { return }
                logger.debug("maximum connection age reached")
                close(code: .goingAway, reason: "connection too old")
            }
        }
    }

    /// True until the closing handshake begins.
    public var isOpen: Bool { state == .open }

    /// Bytes queued on the socket and not yet sent: the back-pressure signal.
    public var bufferedByteCount: Int { upgraded.bufferedByteCount }

    /// Sends one text message; ignored once the closing handshake began.
    public func send(text: [UInt8]) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .open else { return }
        var bytes: [UInt8] = []
        encoder.encode(opcode: .text, payload: text, into: &bytes)
        upgraded.write(bytes)
    }

    /// Starts the closing handshake; the socket closes when the client answers, or after
    /// `closeTimeout`.
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .open else { return }
        closeCode = code
        state = .closing
        upgraded.write(encoder.encode(.close(code, reason: reason)))
        queue.asyncAfter(deadline: .now() + settings.closeTimeout.dispatch) { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            if state == .closing { upgraded.close() }
        }
    }

    /// Closes the socket without a closing handshake, as a cut network would look to the peer:
    /// no close frame; bytes already queued still go out. For fault injection.
    public func abort() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state != .closed else { return }
        state = .closed
        upgraded.close(afterFlushing: true)
    }

    // MARK: Receiving

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(queue))
        reader.append(bytes)
        while state != .closed, let event = reader.next() {
            switch event {
            case .failure(let error):
                return fail(error)
            case .message(let opcode, let payload):
                guard state == .open else { break }  // data after our close frame is dropped
                if opcode == .text {
                    onText(payload, self)
                } else {
                    logger.debug("binary message refused")
                    close(code: .unsupportedData, reason: "text messages only")
                }
            case .control(let control):
                handleControl(control)
            }
        }
    }

    private func handleControl(_ frame: WebSocketFrame) {
        switch frame.opcode {
        case .ping:
            if state == .open && !settings.isSilenced() { upgraded.write(encoder.encode(.pong(frame.payload))) }
        case .pong:
            pongsReceived += 1
            pingOutstandingSince = nil
        case .close:
            let payload: WebSocketClosePayload
            do {
                payload = try WebSocketClosePayload(parsing: frame.payload)
            } catch {
                return fail(error)
            }
            if state == .open {
                closeCode = payload.code
                upgraded.write(encoder.encode(.close(payload.code)))
            }
            state = .closed
            upgraded.close(afterFlushing: true)  // the server closes the TCP connection first (§7.1.1)
        default:
            break
        }
    }

    /// Fails the connection (§7.1.7): our close frame with the error's code, then the socket.
    private func fail(_ error: WebSocketProtocolError) {
        logger.debug("WebSocket protocol error", metadata: ["error": "\(error)"])
        if state == .open {
            closeCode = error.closeCode
            upgraded.write(
                encoder.encode(.close(error.closeCode, reason: String(describing: error).prefix(100).description)))
        }
        state = .closed
        upgraded.close(afterFlushing: true)
    }

    // MARK: Keepalive and ending

    private func checkLiveness() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard state == .open else { return }
        if settings.isSilenced() {
            pingOutstandingSince = nil
            return
        }
        let now = DispatchTime.now()
        if let since = pingOutstandingSince, now >= since + settings.pongTimeout.dispatch {
            logger.info("client did not answer a ping; dropping it")
            state = .closed
            return upgraded.close()
        }
        guard now >= nextPingAt else { return }
        nextPingAt = now + settings.pingInterval.dispatch
        if pingOutstandingSince == nil { pingOutstandingSince = now }
        upgraded.write(encoder.encode(.ping([])))
    }

    private func ended() {
        dispatchPrecondition(condition: .onQueue(queue))
        state = .closed
        timer?.cancel()
        timer = nil
        onClose(self)
    }
}
