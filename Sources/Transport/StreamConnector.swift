import Dispatch
import EventLoops
import OpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// Turns a host and port into a connected (and, for TLS, handshaken) `ClientStream`:
/// getaddrinfo, a non-blocking connect to each address in turn, then the TLS handshake,
/// all within one deadline.
///
/// It exists so `ClientStream` only deals with an established connection. The socket is
/// registered with `loop` from the start and handed to the stream with it. All state is
/// confined to the loop's queue (getaddrinfo runs on a global queue and hops back), and the
/// loop's callbacks check it, which is why the class may be `@unchecked Sendable`. It keeps
/// itself alive through its timer and its registration until it completes, exactly once.
final class StreamConnector: @unchecked Sendable {
    private let host: String
    private let port: UInt16
    private let serverName: String
    private let tls: TLSClientContext?
    private let loop: EventLoop
    private let timeout: Duration
    private let completion: @Sendable (Result<ClientStream, TransportError>) -> Void

    private var phase = "DNS lookup"
    private var addresses: [SocketAddress] = []
    private var lastFailure: TransportError?
    /// The socket being connected, registered with `loop`.
    private var socket: Socket?
    private var session: TLSSession?
    private var timer: DispatchSourceTimer?
    private var finished = false

    init(
        host: String, port: UInt16, serverName: String?, tls: TLSClientContext?, loop: EventLoop,
        timeout: Duration, completion: @escaping @Sendable (Result<ClientStream, TransportError>) -> Void
    ) {
        self.host = host
        self.port = port
        self.serverName = serverName ?? host
        self.tls = tls
        self.loop = loop
        self.timeout = timeout
        self.completion = completion
    }

    func start() {
        loop.execute { [self] in
            let timer = DispatchSource.makeTimerSource(queue: loop.queue)
            timer.setEventHandler { [self] in
                loop.preconditionInEventLoop()
                fail(.timedOut(host: host, port: port, phase: phase))
            }
            timer.schedule(deadline: .now() + timeout.dispatch)
            timer.activate()
            self.timer = timer
            let (name, number) = (host, port)
            DispatchQueue.global().async { [self] in
                let result = Result { () throws(TransportError) in
                    do throws(SocketError) {
                        return try SocketAddress.resolve(host: name, port: number)
                    } catch {
                        throw .resolveFailed(host: name, reason: error.reason)
                    }
                }
                loop.execute { [self] in resolved(result) }
            }
        }
    }

    private func resolved(_ result: Result<[SocketAddress], TransportError>) {
        loop.preconditionInEventLoop()
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
            let (socket, inProgress) = try Socket.connect(to: address)
            self.socket = socket
            loop.register(socket.fd, self, readable: false, writable: inProgress)
            if !inProgress { connected() }
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
        guard let session, let socket else { return }
        switch session.handshake() {
        case .done: succeed()
        case .wantRead: loop.watch(socket.fd, readable: true, writable: false)
        case .wantWrite: loop.watch(socket.fd, readable: false, writable: true)
        case .failed(let error): fail(.tlsHandshakeFailed(host: serverName, error))
        }
    }

    private func connectFailure(_ code: Int32) -> TransportError {
        code == ECONNREFUSED
            ? .connectionRefused(host: host, port: port)
            : .connectFailed(host: host, port: port, reason: String(cString: strerror(code)))
    }

    /// Stops watching the current socket and closes it.
    private func discardSocket() {
        guard let socket else { return }
        self.socket = nil
        loop.unregister(socket.fd)
        socket.close()
    }

    private func succeed() {
        guard !finished, let socket else { return }
        finish()
        let stream = ClientStream(socket: socket, session: session, loop: loop)
        session = nil
        self.socket = nil
        let completion = completion
        loop.execute { completion(.success(stream)) }
    }

    private func fail(_ error: TransportError) {
        guard !finished else { return }
        finish()
        discardSocket()
        session = nil
        let completion = completion
        loop.execute { completion(.failure(error)) }
    }

    private func finish() {
        finished = true
        timer?.cancel()
        timer = nil
    }
}

extension StreamConnector: EventLoopClient {
    func socketReady(readable: Bool, writable: Bool) {
        loop.preconditionInEventLoop()
        ready()
    }
}
