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
    /// The request on the wire, whose response is awaited.
    private var current: UInt64?
    private var accepting = true
    private var closed = false

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
        return isAccepting && current == nil ? 1 : 0
    }

    var isAccepting: Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        return accepting && !closed
    }

    func send(_ request: RESTWireRequest, id: UInt64) -> Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard capacity > 0 else { return false }
        current = id
        stream.write(Self.encode(request, host: hostHeader))
        return true
    }

    func cancel(_ id: UInt64) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard current == id else { return }
        // HTTP/1.1 cannot abandon one response and keep the connection: the late answer
        // would be read as the next request's.
        current = nil
        close()
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        accepting = false
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
        guard !closed else { return }
        decoder.append(bytes)
        while !closed {
            switch decoder.next() {
            case .incomplete:
                return
            case .response(let response, let keepAlive):
                guard let id = current else { return protocolFailure("a response nobody asked for") }
                current = nil
                if !keepAlive { accepting = false }
                onEvent?(.response(id, response))
                if !keepAlive { return close() }
                onEvent?(.capacityChanged)
            case .failure(let reason):
                return protocolFailure(reason)
            }
        }
    }

    private func protocolFailure(_ reason: String) {
        failureReason = reason
        close()
    }

    private var failureReason: String?

    private func streamClosed(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        closed = true
        accepting = false
        if let id = current, case .response(let response, _) = decoder.finish() {
            current = nil
            onEvent?(.response(id, response))
        }
        let callback = onEvent
        onEvent = nil
        callback?(.closed(failureReason ?? error.map { "\($0)" }))
    }
}
