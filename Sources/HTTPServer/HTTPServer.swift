import Dispatch
import EventLoops
import HTTP1
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on POSIX sockets and Dispatch I/O.
///
/// It accepts on one serial queue, hands each connection to the process's event loop that
/// holds the fewest of its connections (`EventLoopGroup`), caps the number of open
/// connections, and shuts down gracefully.
/// The registry of connections is confined to `queue`, hence `@unchecked Sendable`.
public final class HTTPServer: @unchecked Sendable {
    private let configuration: ServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let queue = DispatchQueue(label: "futures-gateway.http.accept")
    /// The event loops that own the connections, one per core, shared with every other socket.
    private let loops = EventLoopGroup.shared.loops
    /// This server's open connections on each loop, by loop index.
    private var connectionsPerLoop = [Int](repeating: 0, count: EventLoopGroup.shared.loops.count)

    private var listener: Socket?
    private var lifecycle = ServerLifecycle()
    private var listenSource: DispatchSourceRead?
    private var address: ListenAddress?
    private var connections: [Int: (connection: HTTPConnection, loop: Int)] = [:]
    private var nextConnectionID = 0
    private var shutdownWaiters: [@Sendable () -> Void] = []
    /// What every connection buffers, together.
    private let budget: MemoryBudget
    /// Warnings a client can cause at will, each logged once per interval with a count, not once each.
    private enum Warning: String {
        case connectionLimitReached = "connection limit reached; refused",
            acceptFailed = "accept failed"
    }
    private var warningLogs: [Warning: LogThrottle] = [:]

    public init(configuration: ServerConfiguration, handler: any HTTPHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.budget = MemoryBudget(limit: configuration.memoryBudget)
    }

    /// Bytes the connections hold in buffers right now (see `ServerConfiguration.memoryBudget`).
    public var bufferedBytes: Int { budget.inUse }

    /// Binds, listens and starts accepting; returns the bound address (with the real port).
    @discardableResult
    public func start() throws(SocketError) -> ListenAddress {
        let socket = try configuration.address.listen()
        let bound = configuration.address.bound(to: socket)
        queue.sync {
            listener = socket
            lifecycle.started()
            address = bound
            let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
            source.setEventHandler { [weak self] in self?.acceptPending() }
            source.setCancelHandler { [weak self, configuration] in
                socket.close()
                if case .unix(let path) = configuration.address { unlink(path) }
                self?.listenerClosed()
            }
            listenSource = source
            source.activate()
        }
        return bound
    }

    /// The address being served, once started.
    public var boundAddress: ListenAddress? { queue.sync { address } }

    /// Connections open right now.
    public var connectionCount: Int { queue.sync { connections.count } }

    /// Stops accepting, lets requests in flight finish (within the shutdown timeout),
    /// then calls `completion`. Safe to call more than once.
    public func shutdown(completion: @escaping @Sendable () -> Void = {}) {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            shutdownWaiters.append(completion)
            guard case .closeListener(let resumeFirst) = lifecycle.shutdown() else { return finishShutdownIfDone() }
            if resumeFirst { listenSource?.resume() }
            listenSource?.cancel()
            listenSource = nil
            logger.info("shutting down", metadata: ["openConnections": "\(connections.count)"])
            for entry in connections.values { entry.connection.beginShutdown() }
            queue.asyncAfter(deadline: .now() + configuration.shutdownTimeout.dispatch) { [self] in
                dispatchPrecondition(condition: .onQueue(queue))
                guard !connections.isEmpty else { return }
                logger.warning(
                    "shutdown timeout; closing remaining connections",
                    metadata: ["openConnections": "\(connections.count)"])
                for entry in connections.values { entry.connection.forceClose() }
            }
            finishShutdownIfDone()
        }
    }

    /// Shuts down and waits for it to finish.
    public func shutdown() async {
        await withCheckedContinuation { continuation in
            shutdown { continuation.resume() }
        }
    }

    /// The listen source's cancel handler has closed the socket; runs on `queue`.
    private func listenerClosed() {
        dispatchPrecondition(condition: .onQueue(queue))
        lifecycle.listenerClosed()
        finishShutdownIfDone()
    }

    /// Completes shutdown once no connection is open and the listener is really closed,
    /// so that a completion which exits the process does not leave a socket file behind.
    private func finishShutdownIfDone() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !shutdownWaiters.isEmpty, lifecycle.shutdownComplete(openConnections: connections.count) else { return }
        let waiters = shutdownWaiters
        shutdownWaiters = []
        for waiter in waiters { waiter() }
    }

    private func acceptPending() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let listener, lifecycle.isAccepting else { return }
        for _ in 0..<256 {
            let client: Socket
            do {
                guard let accepted = try listener.accept() else { return }
                client = accepted
            } catch {
                if shouldLog(.acceptFailed) {
                    logger.warning("accept failed; pausing accepts", metadata: ["error": "\(error)"])
                }
                pauseAccepting()
                return
            }
            guard connections.count < configuration.maxConnections else {
                reject(client)
                continue
            }
            if case .tcp = configuration.address { client.setNoDelay() }
            client.limitSendBuffer(128 * 1024)
            let id = nextConnectionID
            nextConnectionID += 1
            let loopIndex = EventLoopGroup.leastLoaded(connectionsPerLoop)
            connectionsPerLoop[loopIndex] += 1
            let connection = HTTPConnection(
                id: id, socket: client, loop: loops[loopIndex], handler: handler,
                configuration: configuration, budget: budget, logger: logger,
                onClose: { [weak self] connection in self?.connectionClosed(connection) }
            )
            connections[id] = (connection, loopIndex)
            connection.start()
        }
    }

    /// Out of descriptors: stop accepting for a moment instead of spinning on the error.
    private func pauseAccepting() {
        guard let listenSource, lifecycle.pauseAccepting() else { return }
        listenSource.suspend()
        queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard lifecycle.resumeAccepting() else { return }
            self.listenSource?.resume()
        }
    }

    private static let overloadedResponse: [UInt8] = {
        var bytes: [UInt8] = []
        HTTPResponseEncoder.encode(.error(ServerError.tooManyConnections), keepAlive: false, into: &bytes)
        return bytes
    }()

    /// Answers 503 to a connection over the cap, best effort, without blocking.
    private func reject(_ client: Socket) {
        if shouldLog(.connectionLimitReached) {
            logger.warning(
                "connection limit reached; refusing", metadata: ["maxConnections": "\(configuration.maxConnections)"])
        }
        _ = try? Self.overloadedResponse.withUnsafeBytes { try client.write($0) }
        client.shutdownWrite()
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) { buffer in
            while let count = try? client.read(into: buffer), count > 0 {}
        }
        client.close()
    }

    /// True when `warning` should be logged now; otherwise it is counted, and the count is logged
    /// when its interval ends. On `queue`.
    private func shouldLog(_ warning: Warning) -> Bool {
        var throttle = warningLogs[warning] ?? LogThrottle(interval: .seconds(10))
        defer { warningLogs[warning] = throttle }
        guard throttle.record(at: DispatchTime.now().uptimeNanoseconds) == .log else { return false }
        summarize(warning, after: throttle.interval)
        return true
    }

    /// Logs how many of `warning` the throttle held back, one line per interval while they go on.
    private func summarize(_ warning: Warning, after interval: Duration) {
        queue.asyncAfter(deadline: .now() + interval.dispatch) { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard let count = warningLogs[warning]?.summary(at: DispatchTime.now().uptimeNanoseconds), count > 0 else {
                return
            }
            logger.warning(
                "\(warning.rawValue) \(count) more times in the last \(interval)",
                metadata: ["maxConnections": "\(configuration.maxConnections)", "repeated": "\(count)"])
            summarize(warning, after: interval)
        }
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            if let entry = connections.removeValue(forKey: connection.id) { connectionsPerLoop[entry.loop] -= 1 }
            finishShutdownIfDone()
        }
    }

    /// Raises the soft limit on open files to the hard limit, so the connection cap,
    /// not the process limit, decides how many clients fit. Returns the new soft limit.
    @discardableResult
    public static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }
}
