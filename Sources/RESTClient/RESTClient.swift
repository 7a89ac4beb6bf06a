import Dispatch
import EventLoops
import HTTP1
import Logging
import OpenSSL
import RequestWindow
import Transport

/// Sends the REST calls the upstream WebSocket API lacks over one persistent connection:
/// HTTP/2 multiplexed when the server agrees, else one keep-alive HTTP/1.1 connection.
///
/// Its requests live in a `RequestWindow`, as the WebSocket multiplexer's do: every request
/// gets exactly one completion; a bounded in-flight window (also bounded by the peer's
/// MAX_CONCURRENT_STREAMS), then a bounded queue, then `.overloaded`; a deadline (`.timedOut` if sent, `.unavailable` if not); on a
/// lost connection read-only requests are retried once and state-changing ones end with
/// `.disconnected(outcomeUnknown: true)`, never resent. Requests the server provably did not
/// process (REFUSED_STREAM, above a GOAWAY's last-stream-id) are resent whatever their effect.
///
/// All state is confined to one serial queue, where completions also run; hence
/// `@unchecked Sendable`: the public methods hop onto it, and every callback and timer that
/// lands there checks that it did.
public final class RESTClient: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<RESTResponse, UpstreamFailure>) -> Void

    struct Call {
        let request: RESTRequest
        let completion: Completion
    }

    typealias Pending = RequestWindow<Call, ContinuousClock.Instant>.Entry

    let endpoint: Endpoint
    let mode: RESTProtocol
    let configuration: RESTClientConfiguration
    let logger: Logger
    /// The queue of the upstream loop, which owns the client's sockets and its state.
    let queue = EventLoopGroup.shared.upstreamLoop.queue
    let connector: RESTConnector
    private let queueKey = DispatchSpecificKey<Bool>()

    /// Its connections and when the next may open; the client carries out what it decides.
    var state: RESTClientState<any RESTConnection>
    var window: RequestWindow<Call, ContinuousClock.Instant>
    private lazy var deadlineSweep = DeadlineSweep(queue: queue) { [weak self] in self?.sweep() }

    /// - Parameters:
    ///   - baseURL: `https://host[:port]` or `http://host:port`, without a path.
    ///   - tls: for `https`: the context to use, which should offer `protocol.alpnOffer` in
    ///     ALPN; `nil` makes one over the system trust store that does.
    public init(
        baseURL: String, protocol mode: RESTProtocol, tls: TLSClientContext?,
        configuration: RESTClientConfiguration = RESTClientConfiguration(), logger: Logger
    ) throws {
        let endpoint = try Endpoint(url: baseURL)
        guard endpoint.scheme == "http" || endpoint.scheme == "https" else {
            throw TransportError.invalidURL(baseURL, reason: "the REST base URL must be http:// or https://")
        }
        guard endpoint.path == "/" else {
            throw TransportError.invalidURL(baseURL, reason: "a REST base URL has no path")
        }
        var context: TLSClientContext?
        if endpoint.isSecure {
            context = try tls ?? TLSClientContext(alpn: mode.alpnOffer)
            if mode == .h2, context?.alpnProtocols.contains(RESTProtocol.h2ALPN) != true {
                throw TLSError.configuration("--rest-protocol h2 needs a TLS context offering \"h2\" in ALPN")
            }
        }
        self.endpoint = endpoint
        self.mode = mode
        self.configuration = configuration
        self.logger = logger
        window = RequestWindow(limits: .init(configuration))
        state = RESTClientState(
            backoff: ReconnectBackoff(configuration), learnsHTTP1: mode == .auto && !endpoint.isSecure)
        connector = RESTConnector(
            endpoint: endpoint, mode: mode, tls: context, configuration: configuration, queue: queue)
        queue.setSpecific(key: queueKey, value: true)
    }

    /// Connects now rather than at the first request.
    public func start() {
        queue.async { [self] in ensureConnection() }
    }

    /// Sends `request` and calls `completion` exactly once, on the client's queue.
    public func send(_ request: RESTRequest, completion: @escaping Completion) {
        let now = ContinuousClock.now
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard !state.isStopped else { return completion(.failure(.shuttingDown)) }
            let call = Call(request: request, completion: completion)
            guard window.admit(call, effect: request.effect, at: now, connectionHasRoom: connectionHasRoom) else {
                return completion(.failure(.overloaded))
            }
            pump()
            scheduleSweep()
        }
    }

    /// A snapshot of the client; safe from any thread, its own queue included.
    public var status: RESTClientStatus {
        DispatchQueue.getSpecific(key: queueKey) == true ? currentStatus() : queue.sync { currentStatus() }
    }

    /// The current state, delivered on the client's queue.
    public func status(_ completion: @escaping @Sendable (RESTClientStatus) -> Void) {
        queue.async { [self] in completion(currentStatus()) }
    }

    /// Closes every connection and fails whatever is still waiting or in flight: a request
    /// never sent is `.shuttingDown`; one sent and unanswered is `.disconnected`, with its
    /// outcome unknown if it could change state (as `UpstreamMultiplexer.shutdown`).
    public func shutdown(completion: @escaping @Sendable () -> Void = {}) {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            let connections = state.stop()
            for (entry, failure) in window.drain() { entry.item.completion(.failure(failure)) }
            for connection in connections { connection.close() }
            deadlineSweep.cancel()
            completion()
        }
    }

    // MARK: Requests

    /// True when the active connection could take a request right now.
    private var connectionHasRoom: Bool {
        state.active.map { $0.connection.capacity > 0 } == true
    }

    /// Sends waiting requests while the window and the connection have room; connects if needed.
    func pump() {
        dispatchPrecondition(condition: .onQueue(queue))
        while !state.isStopped, window.queuedCount > 0, window.hasRoom {
            guard let generation = usableConnection() else { return }
            guard let pending = window.nextToSend() else { return }
            if !transmit(pending, on: generation) { return }
        }
    }

    /// The active connection if it has room now; retires one that stopped accepting and
    /// starts connecting when there is none.
    private func usableConnection() -> Int? {
        if let (generation, connection) = state.active, !connection.isAccepting {
            retire(generation)
        }
        guard let (generation, connection) = state.active else {
            ensureConnection()
            return nil
        }
        return connection.capacity > 0 ? generation : nil
    }

    /// One attempt of `pending` on connection `generation`; false when the connection refused it.
    private func transmit(_ pending: Pending, on generation: Int) -> Bool {
        let wire: RESTWireRequest
        switch RESTWireRequest.make(pending.item.request) {
        case .success(let built): wire = built
        case .failure(let invalid):
            logger.error("REST request not sent", metadata: ["reason": "\(invalid)"])
            pending.item.completion(.failure(.unavailable))
            return true
        }
        guard let connection = state.slots[generation]?.connection else {
            window.requeue(pending)
            return false
        }
        let id = window.makeID()
        guard connection.send(wire, id: id) else {
            window.requeue(pending)
            return false
        }
        window.recordSent(pending, id: id, generation: generation)
        state.touch(generation, at: .now)
        return true
    }

    /// Takes `id` off the window and its connection's count; the caller completes or requeues it.
    func takeInFlight(_ id: UInt64) -> Pending? {
        guard let pending = window.take(id) else { return nil }
        state.touch(pending.generation, at: .now)
        return pending
    }

    // MARK: Deadlines

    func scheduleSweep() {
        if !state.isStopped, !window.isEmpty { deadlineSweep.arm() }
    }

    private func sweep() {
        dispatchPrecondition(condition: .onQueue(queue))
        // With no connection up and none being opened, a request never sent waits `connectWait`
        // at most, not its whole deadline.
        let expired = window.expire(at: .now, connectless: state.isDisconnected)
        for (id, pending) in expired.inFlight {
            state.touch(pending.generation, at: .now)
            state.slots[pending.generation]?.connection.cancel(id)
            pending.item.completion(.failure(.timedOut))
        }
        for (pending, failure) in expired.waiting { pending.item.completion(.failure(failure)) }
        for generation in Array(state.slots.keys) { closeIfDrained(generation) }
        pump()
        scheduleSweep()
    }

    private func currentStatus() -> RESTClientStatus {
        dispatchPrecondition(condition: .onQueue(queue))
        return RESTClientStatus(
            protocolName: state.active?.connection.protocolName ?? state.lastProtocol,
            connected: state.active != nil,
            inFlight: window.inFlightCount,
            queued: window.queuedCount,
            openConnections: state.slots.count,
            connectionsOpened: state.connectionsOpened,
            reconnects: max(0, state.connectionsOpened - 1)
        )
    }
}
