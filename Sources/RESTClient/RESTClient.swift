import DequeModule
import Dispatch
import EventLoops
import HTTP1
import Logging
import OpenSSL
import Transport
import Upstream

/// Sends the REST calls the upstream WebSocket API lacks over one persistent connection:
/// HTTP/2 multiplexed when the server agrees, else one keep-alive HTTP/1.1 connection.
///
/// It mirrors `UpstreamMultiplexer`: every request gets exactly one completion; a bounded
/// in-flight window (also bounded by the peer's MAX_CONCURRENT_STREAMS), then a bounded
/// queue, then `.overloaded`; a deadline (`.timedOut` if sent, `.unavailable` if not); on a
/// lost connection read-only requests are retried once and state-changing ones end with
/// `.disconnected(outcomeUnknown: true)`, never resent. Requests the server provably did not
/// process (REFUSED_STREAM, above a GOAWAY's last-stream-id) are resent whatever their effect.
///
/// All state is confined to one serial queue, where completions also run; hence
/// `@unchecked Sendable`.
public final class RESTClient: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<RESTResponse, UpstreamFailure>) -> Void

    struct Pending {
        let request: RESTRequest
        let completion: Completion
        let deadline: DispatchTime
        /// Past this, a request never sent while no connection is up fails as `.unavailable`.
        let connectDeadline: DispatchTime
        /// Attempts the server may have processed.
        var attempts = 0
        /// True once an attempt went on the wire (a deadline then means `.timedOut`).
        var sent = false
        /// Times the server refused it unprocessed (bounded, so a refusing server is no busy loop).
        var refusals = 0
        var generation = -1
    }

    struct Slot {
        let connection: any RESTConnection
        var inFlight = 0
        var draining = false
        var answered = false
        var lastActive = DispatchTime.now()
    }

    let endpoint: Endpoint
    let mode: RESTProtocol
    let configuration: RESTClientConfiguration
    let logger: Logger
    /// The queue of the upstream loop, which owns the client's sockets and its state.
    let queue = EventLoopGroup.shared.upstreamLoop.queue
    let connector: RESTConnector
    private let queueKey = DispatchSpecificKey<Bool>()

    var slots: [Int: Slot] = [:]
    var active: Int?
    var nextGeneration = 0
    var connecting = false
    var connectNotBefore = DispatchTime.now()
    var connectScheduled = false
    /// `auto` over plain TCP found no h2c server: later connections go straight to HTTP/1.1.
    var useHTTP1 = false
    var failedAttempts = 0
    var connectionsOpened = 0
    var lastProtocol: String?
    var stopped = false

    var inFlight: [UInt64: Pending] = [:]
    var waiting = Deque<Pending>()
    var nextID: UInt64 = 1
    private var sweepTimer: DispatchSourceTimer?
    private var sweepScheduled = false

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
        let now = DispatchTime.now()
        let deadline = now + configuration.requestTimeout.dispatch
        let connectDeadline = now + min(configuration.connectWait, configuration.requestTimeout).dispatch
        queue.async { [self] in
            guard !stopped else { return completion(.failure(.shuttingDown)) }
            guard waiting.count < configuration.maxQueued || (waiting.isEmpty && hasRoom) else {
                return completion(.failure(.overloaded))
            }
            waiting.append(
                Pending(
                    request: request, completion: completion, deadline: deadline,
                    connectDeadline: connectDeadline))
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
            stopped = true
            let queued = waiting
            waiting.removeAll()
            let sent = inFlight.values
            inFlight.removeAll()
            for pending in queued { pending.completion(.failure(.shuttingDown)) }
            for pending in sent {
                pending.completion(.failure(.disconnected(outcomeUnknown: pending.request.effect == .stateChanging)))
            }
            for slot in slots.values { slot.connection.close() }
            sweepTimer?.cancel()
            sweepTimer = nil
            completion()
        }
    }

    // MARK: Requests

    /// True when a request could go on the wire right now.
    private var hasRoom: Bool {
        inFlight.count < configuration.maxInFlight
            && active.flatMap { slots[$0] }.map { $0.connection.capacity > 0 } == true
    }

    /// Sends waiting requests while the window and the connection have room; connects if needed.
    func pump() {
        while !stopped, !waiting.isEmpty, inFlight.count < configuration.maxInFlight {
            guard let generation = usableConnection() else { return }
            guard let pending = waiting.popFirst() else { return }
            if !transmit(pending, on: generation) { return }
        }
    }

    /// The active connection if it has room now; retires one that stopped accepting and
    /// starts connecting when there is none.
    private func usableConnection() -> Int? {
        if let generation = active, let slot = slots[generation], !slot.connection.isAccepting {
            retire(generation)
        }
        guard let generation = active, let slot = slots[generation] else {
            ensureConnection()
            return nil
        }
        return slot.connection.capacity > 0 ? generation : nil
    }

    /// One attempt of `pending` on connection `generation`; false when the connection refused it.
    private func transmit(_ pending: Pending, on generation: Int) -> Bool {
        var pending = pending
        let wire: RESTWireRequest
        switch RESTWireRequest.make(pending.request) {
        case .success(let built): wire = built
        case .failure(let invalid):
            logger.error("REST request not sent", metadata: ["reason": "\(invalid)"])
            pending.completion(.failure(.unavailable))
            return true
        }
        guard let slot = slots[generation] else {
            waiting.prepend(pending)
            return false
        }
        let id = nextID
        nextID += 1
        guard slot.connection.send(wire, id: id) else {
            waiting.prepend(pending)
            return false
        }
        pending.attempts += 1
        pending.sent = true
        pending.generation = generation
        inFlight[id] = pending
        slots[generation]?.inFlight += 1
        slots[generation]?.lastActive = .now()
        return true
    }

    /// Takes `id` off its connection's count; the caller completes or requeues it.
    func takeInFlight(_ id: UInt64) -> Pending? {
        guard let pending = inFlight.removeValue(forKey: id) else { return nil }
        slots[pending.generation]?.inFlight -= 1
        slots[pending.generation]?.lastActive = .now()
        return pending
    }

    // MARK: Deadlines

    func scheduleSweep() {
        guard !sweepScheduled, !stopped, !inFlight.isEmpty || !waiting.isEmpty else { return }
        sweepScheduled = true
        if sweepTimer == nil {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in self?.sweep() }
            timer.activate()
            sweepTimer = timer
        }
        sweepTimer?.schedule(deadline: .now() + .milliseconds(50), repeating: .never, leeway: .milliseconds(10))
    }

    private func sweep() {
        sweepScheduled = false
        let now = DispatchTime.now()
        for (id, pending) in inFlight where pending.deadline <= now {
            _ = takeInFlight(id)
            slots[pending.generation]?.connection.cancel(id)
            pending.completion(.failure(.timedOut))
        }
        // With no connection up and none being opened, a request never sent waits `connectWait`
        // at most, not its whole deadline.
        let connectless = active == nil && !connecting
        func expired(_ pending: Pending) -> Bool {
            pending.deadline <= now || (connectless && !pending.sent && pending.connectDeadline <= now)
        }
        if waiting.contains(where: expired) {
            var kept = Deque<Pending>()
            for pending in waiting {
                if !expired(pending) {
                    kept.append(pending)
                } else {
                    pending.completion(.failure(pending.sent ? .timedOut : .unavailable))
                }
            }
            waiting = kept
        }
        for generation in Array(slots.keys) { closeIfDrained(generation) }
        pump()
        scheduleSweep()
    }

    private func currentStatus() -> RESTClientStatus {
        RESTClientStatus(
            protocolName: active.flatMap { slots[$0] }?.connection.protocolName ?? lastProtocol,
            connected: active.flatMap { slots[$0] } != nil,
            inFlight: inFlight.count,
            queued: waiting.count,
            openConnections: slots.count,
            connectionsOpened: connectionsOpened,
            reconnects: max(0, connectionsOpened - 1)
        )
    }
}
