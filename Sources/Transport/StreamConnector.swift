import Dispatch
import OpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// Turns a host and port into a connected (and, for TLS, handshaken) `ClientStream`:
/// getaddrinfo, a non-blocking connect to each address in turn, then the TLS handshake,
/// all within one deadline.
///
/// It exists so `ClientStream` only deals with an established connection. All state is
/// confined to `queue` (getaddrinfo runs on a global queue and hops back), which is why the
/// class may be `@unchecked Sendable`. It keeps itself alive through its Dispatch handlers
/// until it completes, exactly once.
final class StreamConnector: @unchecked Sendable {
    private let host: String
    private let port: UInt16
    private let serverName: String
    private let tls: TLSClientContext?
    private let queue: DispatchQueue
    private let timeout: Duration
    private let completion: @Sendable (Result<ClientStream, TransportError>) -> Void

    private var phase = "DNS lookup"
    private var addresses: [ClientSocket.Address] = []
    private var lastFailure: TransportError?
    private var socket: ClientSocket?
    private var sources: SocketSources?
    private var session: TLSSession?
    private var timer: DispatchSourceTimer?
    private var finished = false

    init(
        host: String, port: UInt16, serverName: String?, tls: TLSClientContext?, queue: DispatchQueue,
        timeout: Duration, completion: @escaping @Sendable (Result<ClientStream, TransportError>) -> Void
    ) {
        self.host = host
        self.port = port
        self.serverName = serverName ?? host
        self.tls = tls
        self.queue = queue
        self.timeout = timeout
        self.completion = completion
    }

    func start() {
        queue.async { [self] in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [self] in fail(.timedOut(host: host, port: port, phase: phase)) }
            timer.schedule(deadline: .now() + Self.interval(timeout))
            timer.activate()
            self.timer = timer
            let (name, number) = (host, port)
            DispatchQueue.global().async { [self] in
                let result = Result { () throws(TransportError) in try ClientSocket.resolve(host: name, port: number) }
                queue.async { [self] in resolved(result) }
            }
        }
    }

    private func resolved(_ result: Result<[ClientSocket.Address], TransportError>) {
        guard !finished else { return }
        switch result {
        case .success(let list):
            addresses = list
            phase = "TCP connect"
            connectNext()
        case .failure(let error):
            fail(error)
        }
    }

    private func connectNext() {
        guard !finished else { return }
        guard !addresses.isEmpty else {
            return fail(lastFailure ?? .connectFailed(host: host, port: port, reason: "no usable address"))
        }
        let address = addresses.removeFirst()
        do {
            let (socket, inProgress) = try ClientSocket.connect(to: address)
            self.socket = socket
            let sources = SocketSources(
                fd: socket.fd, queue: queue,
                onReadable: { [self] in ready() }, onWritable: { [self] in ready() })
            self.sources = sources
            if inProgress { sources.setWriting(true) } else { connected() }
        } catch {
            lastFailure = connectFailure(error.errno)
            connectNext()
        }
    }

    private func ready() {
        guard !finished, let socket else { return }
        guard session == nil else { return handshake() }
        let code = socket.pendingError()
        if code == 0 { return connected() }
        lastFailure = connectFailure(code)
        discardSocket()
        connectNext()
    }

    private func connected() {
        guard let tls, let socket else { return succeed() }
        phase = "TLS handshake"
        do {
            session = try TLSSession(context: tls, fileDescriptor: socket.fd, serverName: serverName)
        } catch {
            return fail(.tlsHandshakeFailed(host: serverName, error))
        }
        handshake()
    }

    private func handshake() {
        guard let session, let sources else { return }
        switch session.handshake() {
        case .done: succeed()
        case .wantRead:
            sources.setWriting(false)
            sources.setReading(true)
        case .wantWrite:
            sources.setReading(false)
            sources.setWriting(true)
        case .failed(let error): fail(.tlsHandshakeFailed(host: serverName, error))
        }
    }

    private func connectFailure(_ code: Int32) -> TransportError {
        code == ECONNREFUSED
            ? .connectionRefused(host: host, port: port)
            : .connectFailed(host: host, port: port, reason: String(cString: strerror(code)))
    }

    /// Closes the current socket once its sources have let go of it.
    private func discardSocket() {
        guard let socket, let sources else { return }
        self.socket = nil
        self.sources = nil
        sources.cancel { socket.close() }
    }

    private func succeed() {
        guard !finished, let socket else { return }
        finish()
        let queue = queue
        let completion = completion
        nonisolated(unsafe) let session = session  // confined to `queue`; handed over there
        let deliver: @Sendable () -> Void = {
            completion(.success(ClientStream(socket: socket, session: session, queue: queue)))
        }
        if let sources { sources.cancel(then: deliver) } else { queue.async(execute: deliver) }
        self.session = nil
        self.sources = nil
        self.socket = nil
    }

    private func fail(_ error: TransportError) {
        guard !finished else { return }
        finish()
        let completion = completion
        if let socket {
            if let sources {
                sources.cancel {
                    socket.close()
                    completion(.failure(error))
                }
            } else {
                socket.close()
                queue.async { completion(.failure(error)) }
            }
        } else {
            queue.async { completion(.failure(error)) }
        }
        session = nil
        sources = nil
        self.socket = nil
    }

    private static func interval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        return .nanoseconds(Int(max(0, min(nanoseconds, 1e17))))
    }

    private func finish() {
        finished = true
        timer?.cancel()
        timer = nil
    }
}
