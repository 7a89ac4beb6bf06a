import Dispatch
import EventLoops
import Logging
import RequestWindow

#if canImport(Glibc)
import Glibc
#endif

/// Carries the requests of every HTTP client over one shared upstream connection,
/// matching answers to requests by id.
///
/// It owns the connection's lifecycle too: connect at start, reconnect with backoff and
/// jitter, rotate make-before-break before the upstream's age limit. Every request gets
/// exactly one outcome: an answer, or an `UpstreamFailure`. Read-only requests caught
/// by a disconnect are retried once on the next connection; state-changing ones never.
///
/// All state is confined to `queue`, the upstream event loop's, hence `@unchecked Sendable`: the
/// public methods hop onto it, and every callback and timer that lands there checks that it did.
/// The connection's socket and the HTTP connections on that loop are served on the same thread.
public final class UpstreamMultiplexer: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<UpstreamReply, UpstreamFailure>) -> Void

    private struct Call {
        let request: UpstreamRequest
        let completion: Completion
    }

    private struct Link {
        let link: any UpstreamLink
        let connectedAt: DispatchTime
        let connectedAtMillis: Int64
        /// True once an answer came on it: the connection proved healthy.
        var answered = false
        var draining = false
    }

    private let configuration: UpstreamConfiguration
    private let connector: any UpstreamConnector
    private let logger: Logger
    private let loop = EventLoopGroup.shared.upstreamLoop
    private var queue: DispatchQueue { loop.queue }

    private var links: [Int: Link] = [:]
    private var lifecycle = ConnectionLifecycle()
    private var everConnected = false
    private var backoff: ReconnectBackoff
    private var connects = 0
    private var reconnects = 0
    private var rotations = 0

    private var window: RequestWindow<Call, ContinuousClock.Instant>
    private lazy var deadlineSweep = DeadlineSweep(queue: queue) { [weak self] in self?.sweep() }

    public init(configuration: UpstreamConfiguration, connector: any UpstreamConnector, logger: Logger) {
        self.configuration = configuration
        self.connector = connector
        self.logger = logger
        window = RequestWindow(limits: .init(configuration))
        backoff = ReconnectBackoff(configuration)
    }

    /// How long a request may take from `submit` to its answer.
    public var requestTimeout: Duration { configuration.requestTimeout }

    /// Opens the first connection. Requests submitted before it is up wait for it.
    public func start() {
        queue.async { [self] in connect() }
    }

    /// Sends `request` and calls `completion` exactly once, on the multiplexer's queue.
    public func submit(_ request: UpstreamRequest, completion: @escaping Completion) {
        let now = ContinuousClock.now
        // From the upstream loop's own thread this runs when its current batch ends, not on another thread.
        loop.execute { [self] in
            guard !lifecycle.isStopped else { return completion(.failure(.shuttingDown)) }
            let call = Call(request: request, completion: completion)
            guard window.admit(call, effect: request.effect, at: now, connectionHasRoom: lifecycle.active != nil) else {
                return completion(.failure(.overloaded))
            }
            pump()
            scheduleSweep()
        }
    }

    /// The current state, delivered on the multiplexer's queue.
    public func status(_ completion: @escaping @Sendable (UpstreamStatus) -> Void) {
        queue.async { [self] in completion(currentStatus()) }
    }

    /// Closes every connection and fails whatever is still waiting or in flight: a request
    /// never sent is `.shuttingDown`; one sent and unanswered is `.disconnected`, with its
    /// outcome unknown if it could change state.
    public func shutdown(completion: @escaping @Sendable () -> Void = {}) {
        queue.async { [self] in
            lifecycle.stop()
            for (entry, failure) in window.drain() { entry.item.completion(.failure(failure)) }
            for link in links.values { link.link.close() }
            completion()
        }
    }

    // MARK: Requests

    /// Sends waiting requests while the window has room and a connection is up.
    private func pump() {
        dispatchPrecondition(condition: .onQueue(queue))
        while let generation = lifecycle.active, let entry = window.nextToSend() {
            let id = window.makeID()
            window.recordSent(entry, id: id, generation: generation)
            links[generation]?.link.send(entry.item.request.encode(id))
        }
    }

    private func received(_ frame: [UInt8], on generation: Int) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let envelope = UpstreamEnvelope.scan(frame) else {
            logger.warning("unreadable upstream frame", metadata: ["bytes": "\(frame.count)"])
            return
        }
        guard let id = envelope.id, let entry = window.take(id) else {
            // Late (already timed out) or connection-level (id null), e.g. a revoked session.
            logger.notice(
                "upstream answer without a waiting request",
                metadata: ["status": "\(envelope.status)", "id": "\(envelope.id.map(String.init) ?? "null")"])
            return
        }
        closeIfDrained(entry.generation)
        if links[generation]?.answered == false {
            links[generation]?.answered = true
            backoff.reset()
        }
        entry.item.completion(.success(UpstreamReply(frame: frame, envelope: envelope)))
        pump()
    }

    /// Closes a rotated-out connection once its last request is done.
    private func closeIfDrained(_ generation: Int) {
        guard let link = links[generation], link.draining, window.inFlightCount(on: generation) == 0 else { return }
        link.link.close()
    }

    // MARK: Deadlines

    private func scheduleSweep() {
        if !window.isEmpty { deadlineSweep.arm() }
    }

    private func sweep() {
        dispatchPrecondition(condition: .onQueue(queue))
        // With no connection up and none being opened, a request never sent waits `connectWait`
        // at most, not its whole deadline.
        let expired = window.expire(at: .now, connectless: lifecycle.state == .disconnected)
        for (_, entry) in expired.inFlight { entry.item.completion(.failure(.timedOut)) }
        for generation in Set(expired.inFlight.map(\.entry.generation)) { closeIfDrained(generation) }
        for (entry, failure) in expired.waiting { entry.item.completion(.failure(failure)) }
        pump()
        scheduleSweep()
    }

    // MARK: Connections

    private func connect() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let generation = lifecycle.beginConnect() else { return }
        connector.connect(
            queue: queue,
            onFrame: { [weak self] frame in self?.received(frame, on: generation) },
            onClose: { [weak self] error in self?.linkClosed(generation, error: error) },
            completion: { [weak self] result in self?.connectFinished(generation, result) }
        )
    }

    private func connectFinished(_ generation: Int, _ result: Result<any UpstreamLink, any Error>) {
        dispatchPrecondition(condition: .onQueue(queue))
        switch result {
        case .failure(let error):
            lifecycle.failed(generation)
            backoff.recordFailure()
            logger.warning(
                "upstream connect failed", metadata: ["error": "\(error)", "attempt": "\(backoff.failures)"])
            scheduleConnect(after: backoff.randomDelay())
        case .success(let link):
            guard case .active(let previous) = lifecycle.opened(generation) else { return link.close() }
            links[generation] = Link(link: link, connectedAt: .now(), connectedAtMillis: Self.nowMillis())
            connects += 1
            if let previous, var old = links[previous] {
                rotations += 1
                old.draining = true
                links[previous] = old
                logger.info("upstream rotated", metadata: ["draining": "\(window.inFlightCount(on: previous))"])
                closeIfDrained(previous)
                queue.asyncAfter(deadline: .now() + configuration.requestTimeout.dispatch) { [weak self] in
                    self?.links[previous]?.link.close()
                }
            } else {
                if everConnected { reconnects += 1 }
                logger.info("upstream connected")
            }
            everConnected = true
            scheduleConnect(after: configuration.rotateAfter, onlyIfActive: generation)
            pump()
        }
    }

    private func linkClosed(_ generation: Int, error: (any Error)?) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let closed = links.removeValue(forKey: generation) else { return }
        let (retried, failed) = window.connectionLost(generation)
        for (entry, failure) in failed { entry.item.completion(.failure(failure)) }
        if lifecycle.lost(generation) {
            logger.warning(
                "upstream disconnected",
                metadata: [
                    "error": "\(error.map { "\($0)" } ?? "closed")", "retrying": "\(retried)",
                    "failed": "\(failed.count)",
                ])
            // A connection that answered (or lived a while) resets the backoff; one that keeps
            // dying before any answer (a flapping upstream) backs off like a failed connect.
            let age = DispatchTime.now().uptimeNanoseconds - closed.connectedAt.uptimeNanoseconds
            if closed.answered || age > 10_000_000_000 {
                backoff.reset()
                scheduleConnect(after: .zero)
            } else {
                backoff.recordFailure()
                scheduleConnect(after: backoff.randomDelay())
            }
        }
        pump()
        scheduleSweep()
    }

    /// Connects after `delay`; for a rotation, only if `onlyIfActive` is still the active link.
    private func scheduleConnect(after delay: Duration, onlyIfActive generation: Int? = nil) {
        queue.asyncAfter(deadline: .now() + delay.dispatch) { [weak self] in
            guard let self, !lifecycle.isStopped else { return }
            if let generation, lifecycle.active != generation { return }
            connect()
        }
    }

    private func currentStatus() -> UpstreamStatus {
        dispatchPrecondition(condition: .onQueue(queue))
        let link = lifecycle.active.flatMap { links[$0] }
        return UpstreamStatus(
            connected: link != nil,
            connectedSinceMillis: link?.connectedAtMillis,
            rotationDueMillis: link.map { $0.connectedAtMillis + Int64(configuration.rotateAfter.seconds * 1000) },
            inFlight: window.inFlightCount,
            queued: window.queuedCount,
            connects: connects,
            reconnects: reconnects,
            rotations: rotations
        )
    }

    static func nowMillis() -> Int64 { WallClock.milliseconds }
}
