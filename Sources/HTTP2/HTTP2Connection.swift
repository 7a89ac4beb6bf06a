import Dispatch
import EventLoops
import HTTP1
import HTTPServer

/// One h2c connection: an `HTTP2ServerSession` on a taken-over socket, answering each stream
/// through the server's handler (the same router as HTTP/1.1).
///
/// It ends gracefully, with GOAWAY (NO_ERROR) naming the last stream it took: once it has had no
/// open stream for the idle timeout, and when the server shuts down, where the streams in flight
/// still get their responses (the server closes what is left after its shutdown timeout).
/// It ends at once, with GOAWAY and an error, when the client's SETTINGS do not follow its
/// preface within the request read timeout (SETTINGS_TIMEOUT), or when a request takes longer
/// than that to arrive (ENHANCE_YOUR_CALM): the deadlines an HTTP/1.1 client has too.
/// All state is confined to the connection's loop queue; responders hop there first,
/// hence `@unchecked Sendable`.
final class HTTP2Connection: @unchecked Sendable {
    private let connection: UpgradedConnection
    private let handler: any HTTPHandler
    private let session: HTTP2ServerSession
    private let idleTimeout: DispatchTimeInterval
    private let requestReadTimeout: DispatchTimeInterval
    private let startedAt = DispatchTime.now()
    /// When each stream whose request is still arriving began.
    private var requestStarts: [HTTP2ServerSession.StreamID: DispatchTime] = [:]
    /// Streams whose request is with the handler, waiting for its response.
    private var dispatched: Set<HTTP2ServerSession.StreamID> = []
    /// Since when no stream has been open; `nil` while one is.
    private var idleSince: DispatchTime? = .now()
    private var goingAway = false
    private var closed = false

    init(
        connection: UpgradedConnection, handler: any HTTPHandler, limits: HTTPLimits, idleTimeout: Duration,
        requestReadTimeout: Duration
    ) {
        self.connection = connection
        self.handler = handler
        self.session = HTTP2ServerSession(limits: limits)
        self.idleTimeout = idleTimeout.dispatch
        self.requestReadTimeout = requestReadTimeout.dispatch
    }

    /// Sends the server's SETTINGS and starts reading (the client preface is already buffered).
    /// Call on the connection's queue.
    func start() {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        connection.start(
            onBytes: { [self] bytes in received(bytes) },
            onClose: { [self] in
                dispatchPrecondition(condition: .onQueue(connection.queue))
                closed = true
            },
            onTick: { [self] now in tick(now) }, onShutdown: { [self] in goAway() })
        flush()
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        guard !closed else { return }
        let requests = session.receive(bytes)
        let now = DispatchTime.now()
        let incomplete = session.incompleteStreams
        requestStarts = requestStarts.filter { incomplete.contains($0.key) }
        for stream in incomplete where requestStarts[stream] == nil { requestStarts[stream] = now }
        flush()
        for (stream, request) in requests { dispatch(request, on: stream) }
    }

    private func dispatch(_ request: HTTPRequest, on stream: HTTP2ServerSession.StreamID) {
        dispatched.insert(stream)
        idleSince = nil
        let queue = connection.queue
        let isHead = request.method == .HEAD
        let responder = HTTPResponder { [self] response in
            queue.async { [self] in answer(response, on: stream, bodyOmitted: isHead) }
        }
        handler.handle(request, responder: responder)
    }

    private func answer(_ response: HTTPResponse, on stream: HTTP2ServerSession.StreamID, bodyOmitted: Bool) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        dispatched.remove(stream)
        guard !closed else { return }
        session.respond(response, on: stream, bodyOmitted: bodyOmitted)
        flush()
    }

    /// Sends GOAWAY once; the connection closes when its open streams are done.
    private func goAway() {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        guard !closed, !goingAway else { return }
        goingAway = true
        session.goAway()
        flush()
    }

    private func tick(_ now: DispatchTime) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        guard !closed else { return }
        if !session.hasReceivedSettings && now >= startedAt + requestReadTimeout {
            return terminate(HTTP2ServerSession.settingsTimeout)
        }
        if requestStarts.values.contains(where: { now >= $0 + requestReadTimeout }) {
            return terminate(HTTP2ServerSession.enhanceYourCalm)
        }
        guard let idleSince, now >= idleSince + idleTimeout else { return }
        goAway()
    }

    private func terminate(_ error: UInt32) {
        session.terminate(error: error)
        requestStarts = [:]
        flush()
    }

    private func flush() {
        guard !closed else { return }
        let output = session.takeOutput()
        if !output.isEmpty { connection.write(output) }
        if session.isFinished { return connection.close(afterFlushing: true) }
        let busy = session.openStreamCount > 0 || !dispatched.isEmpty
        if busy { idleSince = nil } else if idleSince == nil { idleSince = .now() }
    }
}
