import Dispatch
import EventLoops
import Logging
import Transport
import WebSocket

/// The upstream connection: an RFC 6455 client over a `ClientStream`, on the multiplexer's queue.
///
/// It performs the opening handshake, reassembles messages, answers pings (only the latest,
/// within the upstream's limit of 5 control frames a second), pings the line itself when it
/// goes quiet and declares the peer dead when nothing arrives for `deadAfter`. What to do is
/// decided by its `UpstreamLinkState`; the link carries it out on the stream.
/// All state is confined to the stream's queue (the multiplexer's), hence `@unchecked Sendable`;
/// every entry point checks that it runs there.
final class WebSocketUpstreamLink: UpstreamLink, @unchecked Sendable {
    struct Settings: Sendable {
        var pingInterval: Duration
        var deadAfter: Duration
        var maxMessageSize: Int
        var handshakeTimeout: Duration
    }

    typealias Completion = @Sendable (Result<WebSocketUpstreamLink, any Error>) -> Void

    private let stream: ClientStream
    private let logger: Logger
    private let onFrame: @Sendable ([UInt8]) -> Void
    private let onClose: @Sendable ((any Error)?) -> Void
    private var state: UpstreamLinkState
    /// Called once, when the handshake ends either way.
    private var completion: Completion?
    private var reader: WebSocketReader
    private var encoder = WebSocketFrameEncoder(role: .client)
    private var timer: DispatchSourceTimer?

    private init(
        stream: ClientStream, settings: Settings, logger: Logger, key: String,
        onFrame: @escaping @Sendable ([UInt8]) -> Void, onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping Completion
    ) {
        self.stream = stream
        self.logger = logger
        self.onFrame = onFrame
        self.onClose = onClose
        self.completion = completion
        self.state = UpstreamLinkState(
            key: key, pingInterval: settings.pingInterval, deadAfter: settings.deadAfter,
            handshakeTimeout: settings.handshakeTimeout, openedAt: .now)
        self.reader = WebSocketReader(role: .client, maxMessageSize: settings.maxMessageSize)
    }

    /// Sends the opening handshake on a connected stream; `completion` runs once, on the stream's queue.
    static func open(
        stream: ClientStream, endpoint: Endpoint, settings: Settings, logger: Logger,
        onFrame: @escaping @Sendable ([UInt8]) -> Void, onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping Completion
    ) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
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
        guard state.isOpen else { return }
        var bytes: [UInt8] = []
        encoder.encode(opcode: .text, payload: frame, into: &bytes)
        stream.write(bytes)
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        switch state.closeRequested() {
        case .none:
            break
        case .failHandshake(let reason):
            failHandshake(reason)
        case .sendClose(let grace):
            stream.write(encoder.encode(.close(.normalClosure)))
            // Wait briefly for the server's close frame, then drop the connection regardless.
            stream.queue.asyncAfter(deadline: .now() + grace.dispatch) { [self] in
                dispatchPrecondition(condition: .onQueue(stream.queue))
                if state.closeGraceElapsed() { stream.close() }
            }
        }
    }

    // MARK: Receiving

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        state.bytesReceived(at: .now)
        guard state.isHandshaking else {
            reader.append(bytes)
            return decodeFrames()
        }
        switch state.handshakeReceived(bytes) {
        case .incomplete:
            break
        case .failed(let reason):
            failHandshake(reason)
        case .opened(let leftover):
            reader.append(leftover)  // frames that came with the handshake
            completion.take()?(.success(self))
            decodeFrames()
        }
    }

    private func decodeFrames() {
        while !state.isEnded, let event = reader.next() {
            switch event {
            case .failure(let error):
                return peerClosing(state.protocolViolation(error))
            case .message(let opcode, let payload):
                if opcode == .text { onFrame(payload) } else { logger.notice("ignoring a binary upstream message") }
            case .control(let frame):
                switch frame.opcode {
                case .ping: control(state.pingReceived(frame.payload, at: .now))
                case .close: peerClosing(state.closeReceived(frame.payload))
                default: break  // pongs only prove liveness, already noted
                }
            }
        }
    }

    private func peerClosing(_ step: UpstreamLinkState.PeerClosing) {
        let reply: WebSocketCloseCode?
        switch step {
        case .none:
            return
        case .closeAfterFlushing(let code):
            reply = code
        case .violation(let error, let code):
            logger.warning("upstream WebSocket protocol error", metadata: ["error": "\(error)"])
            reply = code
        }
        if let reply { stream.write(encoder.encode(.close(reply))) }
        stream.close(afterFlushing: true)
    }

    // MARK: Control frames and keepalive

    private func control(_ step: UpstreamLinkState.ControlStep) {
        switch step {
        case .none:
            break
        case .sendPong(let payload):
            stream.write(encoder.encode(.pong(payload)))
        case .retry(let wait):
            stream.queue.asyncAfter(deadline: .now() + wait.dispatch) { [self] in
                dispatchPrecondition(condition: .onQueue(stream.queue))
                control(state.controlRetryDue(at: .now))
            }
        }
    }

    private func startTimer() {
        let interval = state.tickInterval
        let timer = DispatchSource.makeTimerSource(queue: stream.queue)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.schedule(deadline: .now() + interval.dispatch, repeating: interval.dispatch, leeway: .milliseconds(10))
        timer.activate()
        self.timer = timer
    }

    private func tick() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        switch state.tick(at: .now) {
        case .none:
            break
        case .failHandshake(let reason):
            failHandshake(reason)
        case .sendPing:
            stream.write(encoder.encode(.ping([])))
        case .declareDead(let silence):
            logger.warning("upstream silent; declaring it dead", metadata: ["silent_for": "\(silence)"])
            stream.close()
        }
    }

    // MARK: Ending

    /// Ends a link that never opened; the connect completion gets the error.
    private func failHandshake(_ reason: UpstreamLinkState.Reason) {
        timer?.cancel()
        stream.close()
        completion.take()?(.failure(reason.error))
    }

    private func streamEnded(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        timer?.cancel()
        switch state.streamEnded(error) {
        case .none:
            break
        case .failHandshake(let reason):
            failHandshake(reason)
        case .report(let reason):
            onClose(reason?.error)
        }
    }
}
