import Dispatch
import EventLoops
import HTTP1
import Logging
import Transport
import WebSocket

/// The upstream connection: an RFC 6455 client over a `ClientStream`, on the multiplexer's queue.
///
/// It performs the opening handshake, reassembles messages, answers pings (only the latest,
/// within the upstream's limit of 5 control frames a second), pings the line itself when it
/// goes quiet and declares the peer dead when nothing arrives for `deadAfter`.
/// All state is confined to the stream's queue (the multiplexer's), hence `@unchecked Sendable`;
/// every entry point checks that it runs there.
final class WebSocketUpstreamLink: UpstreamLink, @unchecked Sendable {
    struct Settings: Sendable {
        var pingInterval: Duration
        var deadAfter: Duration
        var maxMessageSize: Int
        var handshakeTimeout: Duration
    }

    private enum State {
        /// The opening handshake is under way; `received` holds the response bytes so far.
        case handshaking(
            parser: HTTPResponseHeadParser, key: String, received: [UInt8],
            completion: @Sendable (Result<WebSocketUpstreamLink, any Error>) -> Void)
        case open
        /// A close is under way; `reason` is what the multiplexer will be told, if not the
        /// transport's own error.
        case closing(reason: (any Error)?)
        case closed
    }

    private let stream: ClientStream
    private let settings: Settings
    private let logger: Logger
    private let onFrame: @Sendable ([UInt8]) -> Void
    private let onClose: @Sendable ((any Error)?) -> Void
    private var state: State
    private var reader: WebSocketReader
    private var encoder = WebSocketFrameEncoder(role: .client)
    private var limiter = ControlFrameLimiter()
    private var pongOwed: [UInt8]?
    private var controlRetryScheduled = false
    private var liveness: LinkLiveness
    private var timer: DispatchSourceTimer?

    private init(
        stream: ClientStream, settings: Settings, logger: Logger, key: String,
        onFrame: @escaping @Sendable ([UInt8]) -> Void, onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<WebSocketUpstreamLink, any Error>) -> Void
    ) {
        self.stream = stream
        self.settings = settings
        self.logger = logger
        self.onFrame = onFrame
        self.onClose = onClose
        self.state = .handshaking(parser: HTTPResponseHeadParser(), key: key, received: [], completion: completion)
        self.liveness = LinkLiveness(
            pingInterval: settings.pingInterval, deadAfter: settings.deadAfter,
            handshakeTimeout: settings.handshakeTimeout, openedAt: .now)
        self.reader = WebSocketReader(role: .client, maxMessageSize: settings.maxMessageSize)
    }

    /// Sends the opening handshake on a connected stream; `completion` runs once, on the stream's queue.
    static func open(
        stream: ClientStream, endpoint: Endpoint, settings: Settings, logger: Logger,
        onFrame: @escaping @Sendable ([UInt8]) -> Void, onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<WebSocketUpstreamLink, any Error>) -> Void
    ) {
        let request: (bytes: [UInt8], key: String)
        do {
            request = try WebSocketHandshake.makeRequest(
                host: endpoint.host, port: Int(endpoint.port), path: endpoint.path)
        } catch {
            stream.close()
            return completion(.failure(error))
        }
        let link = WebSocketUpstreamLink(
            stream: stream, settings: settings, logger: logger, key: request.key,
            onFrame: onFrame, onClose: onClose, completion: completion)
        stream.start(onBytes: { bytes in link.received(bytes) }, onClose: { error in link.streamEnded(error) })
        stream.write(request.bytes)
        link.startTimer()
    }

    // MARK: UpstreamLink

    func send(_ frame: [UInt8]) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .open = state else { return }
        var bytes: [UInt8] = []
        encoder.encode(opcode: .text, payload: frame, into: &bytes)
        stream.write(bytes)
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .open = state else {
            if case .handshaking = state { fail(LinkError.closedDuringHandshake) }
            return
        }
        state = .closing(reason: nil)
        stream.write(encoder.encode(.close(.normalClosure)))
        // Wait briefly for the server's close frame, then drop the connection regardless.
        stream.queue.asyncAfter(deadline: .now() + .seconds(1)) { [self] in
            if case .closing = state { stream.close() }
        }
    }

    // MARK: Receiving

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        liveness.received(at: .now)
        guard case .handshaking(var parser, let key, var handshakeBytes, let completion) = state else {
            reader.append(bytes)
            return decodeFrames()
        }
        handshakeBytes.append(contentsOf: bytes)
        switch handshakeBytes.withUnsafeBufferPointer({ parser.parse($0) }) {
        case .incomplete:
            state = .handshaking(parser: parser, key: key, received: handshakeBytes, completion: completion)
        case .failure(let failure):
            fail(LinkError.handshake("\(failure)"))
        case .complete(let head, let length):
            do {
                try WebSocketHandshake.validateResponse(head, key: key)
            } catch {
                return fail(LinkError.handshake("\(error)"))
            }
            reader.append(handshakeBytes[length...])  // frames that came with the handshake
            state = .open
            completion(.success(self))
            decodeFrames()
        }
    }

    private func decodeFrames() {
        while !isEnded, let event = reader.next() {
            switch event {
            case .failure(let error):
                return protocolFailure(error)
            case .message(let opcode, let payload):
                if opcode == .text { onFrame(payload) } else { logger.notice("ignoring a binary upstream message") }
            case .control(let control):
                handleControl(control)
            }
        }
    }

    private func handleControl(_ frame: WebSocketFrame) {
        switch frame.opcode {
        case .ping:
            pongOwed = frame.payload
            sendControlFrames()
        case .close:
            let payload: WebSocketClosePayload
            do {
                payload = try WebSocketClosePayload(parsing: frame.payload)
            } catch {
                return protocolFailure(error)
            }
            if case .open = state { stream.write(encoder.encode(.close(payload.code ?? .normalClosure))) }
            state = .closing(reason: LinkError.closedByPeer(code: payload.code?.rawValue, reason: payload.reason))
            stream.close(afterFlushing: true)
        default:
            break  // pongs only prove liveness, already noted
        }
    }

    private func protocolFailure(_ error: WebSocketProtocolError) {
        logger.warning("upstream WebSocket protocol error", metadata: ["error": "\(error)"])
        if case .open = state { stream.write(encoder.encode(.close(error.closeCode))) }
        state = .closing(reason: error)
        stream.close(afterFlushing: true)
    }

    // MARK: Control frames and keepalive

    /// Sends an owed pong when the limiter allows, else retries when it will.
    private func sendControlFrames() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .open = state, let payload = pongOwed, !controlRetryScheduled else { return }
        if let wait = limiter.admit() {
            controlRetryScheduled = true
            stream.queue.asyncAfter(deadline: .now() + wait) { [self] in
                controlRetryScheduled = false
                sendControlFrames()
            }
            return
        }
        pongOwed = nil
        stream.write(encoder.encode(.pong(payload)))
    }

    private func startTimer() {
        let interval = liveness.checkInterval
        let timer = DispatchSource.makeTimerSource(queue: stream.queue)
        timer.setEventHandler { [weak self] in self?.checkLiveness() }
        timer.schedule(deadline: .now() + interval.dispatch, repeating: interval.dispatch, leeway: .milliseconds(10))
        timer.activate()
        self.timer = timer
    }

    private func checkLiveness() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        switch state {
        case .handshaking:
            if liveness.check(at: .now, handshaking: true) == .handshakeTimedOut {
                fail(LinkError.handshake("no handshake answer within \(settings.handshakeTimeout)"))
            }
        case .open:
            switch liveness.check(at: .now, handshaking: false) {
            case .dead(let silence):
                logger.warning("upstream silent; declaring it dead", metadata: ["silent_for": "\(silence)"])
                state = .closing(reason: LinkError.unresponsive(silence))
                stream.close()
            case .ping:
                if limiter.admit() == nil {
                    liveness.pingSent()
                    stream.write(encoder.encode(.ping([])))
                }
            case .fine, .handshakeTimedOut:
                break
            }
        case .closing, .closed:
            break
        }
    }

    // MARK: Ending

    private var isEnded: Bool {
        switch state {
        case .closing, .closed: true
        default: false
        }
    }

    /// Ends a link that never opened; the connect completion gets the error.
    private func fail(_ error: any Error) {
        if case .handshaking(_, _, _, let completion) = state {
            state = .closed
            timer?.cancel()
            stream.close()
            completion(.failure(error))
        }
    }

    private func streamEnded(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        timer?.cancel()
        switch state {
        case .handshaking:
            fail(error.map { $0 as any Error } ?? LinkError.handshake("connection closed during the handshake"))
        case .open:
            state = .closed
            onClose(error.map { $0 as any Error } ?? LinkError.closedByPeer(code: nil, reason: ""))
        case .closing(let reason):
            state = .closed
            onClose(reason ?? error.map { $0 as any Error })
        case .closed:
            break
        }
    }

    enum LinkError: Error, CustomStringConvertible {
        case handshake(String)
        case closedDuringHandshake
        case closedByPeer(code: UInt16?, reason: String)
        case unresponsive(Duration)

        var description: String {
            switch self {
            case .handshake(let why): "WebSocket handshake failed: \(why)"
            case .closedDuringHandshake: "closed during the WebSocket handshake"
            case .closedByPeer(let code, let reason):
                "upstream closed the WebSocket" + (code.map { " (\($0)\(reason.isEmpty ? "" : ": \(reason)"))" } ?? "")
            case .unresponsive(let silence): "upstream unresponsive for \(silence)"
            }
        }
    }
}
