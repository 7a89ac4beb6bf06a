import Dispatch
import HTTP1
import Transport

/// One keep-alive HTTP/1.1 connection carrying REST requests one at a time, in order (no
/// pipelining: the client queues the rest). The fallback when the server does not speak
/// HTTP/2, or when `--rest-protocol http1` asks for it.
///
/// Confined to the client's queue like its `ClientStream`, hence `@unchecked Sendable`; every
/// entry point checks that it runs there.
final class HTTP1ClientConnection: RESTConnection, @unchecked Sendable {
    let protocolName = RESTProtocol.http1ALPN
    private let stream: ClientStream
    private let hostHeader: String
    private var decoder: HTTP1ResponseDecoder
    private var onEvent: ((RESTConnectionEvent) -> Void)?
    private var state = State.open(current: nil)

    /// Where the connection is; `current` is the request on the wire, whose response is awaited.
    private enum State {
        /// Takes a request whenever none is on the wire.
        case open(current: UInt64?)
        /// Takes no new request (closed by the client, the server's `close`, a protocol error
        /// named by `failure`); the stream's end is awaited.
        case closing(current: UInt64?, failure: String?)
        /// The stream ended.
        case closed

        var current: UInt64? {
            switch self {
            case .open(let current), .closing(let current, _): current
            case .closed: nil
            }
        }

        var isClosed: Bool {
            if case .closed = self { true } else { false }
        }

        /// The request on the wire is settled (answered or abandoned).
        mutating func settle() {
            switch self {
            case .open: self = .open(current: nil)
            case .closing(_, let failure): self = .closing(current: nil, failure: failure)
            case .closed: break
            }
        }

        /// No new request from now on; `failure` names a protocol error, if that is why.
        mutating func stopAccepting(failure: String? = nil) {
            switch self {
            case .open(let current): self = .closing(current: current, failure: failure)
            case .closing(let current, let earlier): self = .closing(current: current, failure: failure ?? earlier)
            case .closed: break
            }
        }
    }

    init(stream: ClientStream, hostHeader: String, maxBodySize: Int) {
        self.stream = stream
        self.hostHeader = hostHeader
        decoder = HTTP1ResponseDecoder(maxBodySize: maxBodySize)
    }

    /// Starts reading; every event of the connection goes to `onEvent`, on the queue.
    func start(onEvent: @escaping (RESTConnectionEvent) -> Void) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        self.onEvent = onEvent
        stream.start(onBytes: { [self] bytes in received(bytes) }, onClose: { [self] error in streamClosed(error) })
    }

    var capacity: Int {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        if case .open(current: nil) = state { return 1 }
        return 0
    }

    var isAccepting: Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        if case .open = state { return true }
        return false
    }

    func send(_ request: RESTWireRequest, id: UInt64) -> Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard case .open(current: nil) = state else { return false }
        state = .open(current: id)
        stream.write(Self.encode(request, host: hostHeader))
        return true
    }

    func cancel(_ id: UInt64) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard state.current == id else { return }
        // HTTP/1.1 cannot abandon one response and keep the connection: the late answer
        // would be read as the next request's.
        state.settle()
        close()
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        state.stopAccepting()
        stream.close()
    }

    /// The request line, fields and body of one request.
    static func encode(_ request: RESTWireRequest, host: String) -> [UInt8] {
        var head = "\(request.method.rawValue) \(request.target) HTTP/1.1\r\nhost: \(host)\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        if request.declaresBody { head += "content-length: \(request.body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + request.body
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard !state.isClosed else { return }
        decoder.append(bytes)
        while !state.isClosed {
            switch decoder.next() {
            case .incomplete:
                return
            case .response(let response, let keepAlive):
                guard let id = state.current else { return protocolFailure("a response nobody asked for") }
                state.settle()
                if !keepAlive { state.stopAccepting() }
                onEvent?(.response(id, response))
                if !keepAlive { return close() }
                onEvent?(.capacityChanged)
            case .failure(let reason):
                return protocolFailure(reason)
            }
        }
    }

    private func protocolFailure(_ reason: String) {
        state.stopAccepting(failure: reason)
        close()
    }

    private func streamClosed(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        var failure: String?
        if case .closing(_, let reason) = state { failure = reason }
        let current = state.current
        state = .closed
        if let id = current, case .response(let response, _) = decoder.finish() {
            onEvent?(.response(id, response))
        }
        let callback = onEvent
        onEvent = nil
        callback?(.closed(failure ?? error.map { "\($0)" }))
    }
}
