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
    private var state = HTTP1ExchangeState()

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
        return state.capacity
    }

    var isAccepting: Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        return state.isAccepting
    }

    func send(_ request: RESTWireRequest, id: UInt64) -> Bool {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        guard state.send(id) else { return false }
        stream.write(Self.encode(request, host: hostHeader))
        return true
    }

    func cancel(_ id: UInt64) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        if state.cancel(id) { stream.close() }
    }

    func close() {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        state.close()
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
                switch state.responseReceived(keepAlive: keepAlive) {
                case .unexpected:
                    return stream.close()
                case .deliver(let id, let close):
                    onEvent?(.response(id, response))
                    if close { return stream.close() }
                    onEvent?(.capacityChanged)
                }
            case .failure(let reason):
                state.protocolFailure(reason)
                return stream.close()
            }
        }
    }

    private func streamClosed(_ error: TransportError?) {
        dispatchPrecondition(condition: .onQueue(stream.queue))
        let ending = state.streamEnded()
        if let id = ending.current, case .response(let response, _) = decoder.finish() {
            onEvent?(.response(id, response))
        }
        let callback = onEvent
        onEvent = nil
        callback?(.closed(ending.failure ?? error.map { "\($0)" }))
    }
}
