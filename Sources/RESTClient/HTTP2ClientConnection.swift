import Dispatch
import Transport

/// One HTTP/2 connection (h2 over TLS, or h2c with prior knowledge) carrying many REST
/// requests at once, one stream each.
///
/// It is "ready" only once the server's first SETTINGS frame has arrived: a server that
/// answers the preface with anything else (HTTP/1.1 bytes, a close) does not speak HTTP/2,
/// and nothing was sent on the connection yet, so the client can fall back without loss.
/// Confined to the client's queue like its `ClientStream`, hence `@unchecked Sendable`; every
/// entry point checks that it runs there.
final class HTTP2ClientConnection: RESTConnection, @unchecked Sendable {
    /// Why the server was not taken for an HTTP/2 server.
    struct NotHTTP2: Error, CustomStringConvertible {
        let description: String
    }

    let protocolName = RESTProtocol.h2ALPN
    private let stream: ClientStream
    private let session: HTTP2ClientSession
    private let scheme: String
    private let authority: String
    private let maxStreams: Int
    private var streamIDs: [UInt64: HTTP2ClientSession.StreamID] = [:]
    private var requestIDs: [HTTP2ClientSession.StreamID: UInt64] = [:]
    private var onEvent: ((RESTConnectionEvent) -> Void)?
    private var state = State.idle

    private enum State {
        /// Not started.
        case idle
        /// The preface is sent; `prefix` holds the server's first bytes until they show a whole
        /// frame header, and `onReady` is told whether they start with SETTINGS.
        case awaitingSettings(prefix: [UInt8], onReady: (Result<Void, NotHTTP2>) -> Void)
        /// HTTP/2 runs; `session` says whether it still takes streams.
        case ready
        /// Closed, or refused as not HTTP/2: nothing more is read or written.
        case closed
    }

    init?(stream: ClientStream, scheme: String, authority: String, maxStreams: Int, maxBodySize: Int) {
        guard let session = HTTP2ClientSession(maxBodySize: maxBodySize) else { return nil }
        self.stream = stream
        self.session = session
        self.scheme = scheme
        self.authority = authority
        self.maxStreams = maxStreams
    }

    /// Sends the preface and SETTINGS; `onReady` runs once the server's SETTINGS arrived, or
    /// with why not. Afterwards every event goes to `onEvent`, on the queue.
    func start(
        onReady: @escaping (Result<Void, NotHTTP2>) -> Void,
        onEvent: @escaping (RESTConnectionEvent) -> Void
    ) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .idle = state else { return }
        state = .awaitingSettings(prefix: [], onReady: onReady)
        self.onEvent = onEvent
        stream.start(onBytes: { [self] bytes in received(bytes) }, onClose: { [self] error in streamClosed(error) })
        flush()
    }

    var capacity: Int {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard isAccepting else { return 0 }
        return max(0, min(maxStreams, session.peerMaxConcurrentStreams) - session.openStreams)
    }

    var isAccepting: Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .ready = state else { return false }
        return session.isAccepting
    }

    func send(_ request: RESTWireRequest, id: UInt64) -> Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard !isClosed, let streamID = session.submit(request, scheme: scheme, authority: authority) else {
            return false
        }
        streamIDs[id] = streamID
        requestIDs[streamID] = id
        flush()
        return true
    }

    func cancel(_ id: UInt64) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard let streamID = streamIDs.removeValue(forKey: id) else { return }
        requestIDs[streamID] = nil
        session.cancel(streamID)
        flush()
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        stream.close()
    }

    /// Starts a graceful end: GOAWAY, then the close once open streams are done.
    func goAway() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        session.goAway()
        flush()
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        switch state {
        case .idle, .closed:
            return
        case .awaitingSettings(var prefix, let onReady):
            prefix.append(contentsOf: bytes)
            guard prefix.count >= 9 else { return state = .awaitingSettings(prefix: prefix, onReady: onReady) }
            // A server's first frame must be SETTINGS (RFC 9113 §3.4): type 4 at offset 3.
            guard prefix[3] == 0x04 else {
                return refuse("the server answered \(Self.printable(prefix))", onReady: onReady)
            }
            state = .ready
            deliver(prefix.withUnsafeBytes { session.receive($0) })
            onReady(.success(()))
        case .ready:
            deliver(session.receive(bytes))
        }
        flush()
    }

    /// Writes what nghttp2 has to send; closes when the session is over or failed.
    private func flush() {
        guard !isClosed else { return }
        let output = session.takeOutput()
        if !output.isEmpty { stream.write(output) }
        let events = session.takeEvents()
        if !events.isEmpty {
            // Raised inside a `send` or `cancel` by the client: deliver after it returns.
            stream.queue.async { [self] in deliver(events) }
        }
        if session.failure != nil || session.isFinished { stream.close(afterFlushing: true) }
    }

    private func deliver(_ events: [HTTP2ClientSession.Event]) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        for event in events {
            switch event {
            case .response(let streamID, let response):
                if let id = forget(streamID) { onEvent?(.response(id, response)) }
            case .refused(let streamID):
                if let id = forget(streamID) { onEvent?(.refused(id)) }
            case .reset(let streamID, let reason):
                if let id = forget(streamID) { onEvent?(.reset(id, reason: reason)) }
            case .goAway:
                onEvent?(.goingAway)
            case .settings:
                onEvent?(.capacityChanged)
            }
        }
    }

    private func forget(_ streamID: HTTP2ClientSession.StreamID) -> UInt64? {
        guard let id = requestIDs.removeValue(forKey: streamID) else { return nil }
        streamIDs[id] = nil
        return id
    }

    private var isClosed: Bool {
        if case .closed = state { true } else { false }
    }

    private func refuse(_ reason: String, onReady: (Result<Void, NotHTTP2>) -> Void) {
        state = .closed
        onEvent = nil
        stream.close()
        onReady(.failure(NotHTTP2(description: reason)))
    }

    private func streamClosed(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        let previous = state
        state = .closed
        if case .awaitingSettings(_, let onReady) = previous {
            onEvent = nil
            let reason = error.map { "\($0)" } ?? "closed"
            return onReady(.failure(NotHTTP2(description: "no SETTINGS frame before the connection ended (\(reason))")))
        }
        let callback = onEvent
        onEvent = nil
        callback?(.closed(session.failure.map { "HTTP/2 error: \($0)" } ?? error.map { "\($0)" }))
    }

    /// The start of a non-HTTP/2 answer, for the log ("HTTP/1.1 400 Bad Request").
    private static func printable(_ bytes: [UInt8]) -> String {
        let line = bytes.prefix(40).prefix { $0 != 13 && $0 != 10 }
        if line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "\"\(String(decoding: line, as: UTF8.self))\"" }
        return "\(bytes.count) bytes that are not a SETTINGS frame"
    }
}
