import Dispatch
import HTTP1
import HTTPServer

/// One h2c connection: an `HTTP2ServerSession` on a taken-over socket, answering each stream
/// through the server's handler (the same router as HTTP/1.1).
///
/// All state is confined to the connection's loop queue; responders hop there first,
/// hence `@unchecked Sendable`.
final class HTTP2Connection: @unchecked Sendable {
    private let connection: UpgradedConnection
    private let handler: any HTTPHandler
    private let session: HTTP2ServerSession
    private var closed = false

    init(connection: UpgradedConnection, handler: any HTTPHandler, limits: HTTPLimits) {
        self.connection = connection
        self.handler = handler
        self.session = HTTP2ServerSession(limits: limits)
    }

    /// Sends the server's SETTINGS and starts reading (the client preface is already buffered).
    /// Call on the connection's queue.
    func start() {
        connection.start(onBytes: { [self] bytes in received(bytes) }, onClose: { [self] in closed = true })
        flush()
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        guard !closed else { return }
        let requests = session.receive(bytes)
        flush()
        for (stream, request) in requests { dispatch(request, on: stream) }
    }

    private func dispatch(_ request: HTTPRequest, on stream: HTTP2ServerSession.StreamID) {
        let queue = connection.queue
        let isHead = request.method == .HEAD
        let responder = HTTPResponder { [self] response in
            queue.async { [self] in answer(response, on: stream, bodyOmitted: isHead) }
        }
        handler.handle(request, responder: responder)
    }

    private func answer(_ response: HTTPResponse, on stream: HTTP2ServerSession.StreamID, bodyOmitted: Bool) {
        guard !closed else { return }
        session.respond(response, on: stream, bodyOmitted: bodyOmitted)
        flush()
    }

    private func flush() {
        guard !closed else { return }
        let output = session.takeOutput()
        if !output.isEmpty { connection.write(output) }
        if session.isFinished { connection.close(afterFlushing: true) }
    }
}
