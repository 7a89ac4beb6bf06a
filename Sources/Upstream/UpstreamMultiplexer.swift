import DequeModule
import Dispatch
import EventLoops
import Logging

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
/// All state is confined to `queue`, the upstream event loop's, hence `@unchecked Sendable`:
/// the connection's socket and the HTTP connections on that loop are served on the same thread.
public final class UpstreamMultiplexer: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<UpstreamReply, UpstreamFailure>) -> Void

    private struct Pending {
        let request: UpstreamRequest
        let completion: Completion
        let deadline: DispatchTime
        /// Past this, a request never sent while no connection is up fails as `.unavailable`.
        let connectDeadline: DispatchTime
        var attempts = 0
        var generation = -1
    }

    private struct Link {
        let link: any UpstreamLink
        let connectedAt: DispatchTime
        let connectedAtMillis: Int64
        /// True once an answer came on it: the connection proved healthy.
        var answered = false
        var inFlight = 0
        var draining = false
    }

    private let configuration: UpstreamConfiguration
    private let connector: any UpstreamConnector
    private let logger: Logger
    private let loop = EventLoopGroup.shared.upstreamLoop
    private var queue: DispatchQueue { loop.queue }

    private var links: [Int: Link] = [:]
    private var active: Int?
    private var nextGeneration = 0
    private var connecting = false
    private var everConnected = false
    private var failedAttempts = 0
    private var connects = 0
    private var reconnects = 0
    private var rotations = 0
    private var stopped = false

    private var inFlight: [UInt64: Pending] = [:]
    private var waiting = Deque<Pending>()
    private var nextID: UInt64 = 1
    private var sweepTimer: DispatchSourceTimer?
    private var sweepScheduled = false

    public init(configuration: UpstreamConfiguration, connector: any UpstreamConnector, logger: Logger) {
        self.configuration = configuration
        self.connector = connector
        self.logger = logger
    }

    /// How long a request may take from `submit` to its answer.
    public var requestTimeout: Duration { configuration.requestTimeout }

    /// Opens the first connection. Requests submitted before it is up wait for it.
    public func start() {
        queue.async { [self] in connect() }
    }

    /// Sends `request` and calls `completion` exactly once, on the multiplexer's queue.
    public func submit(_ request: UpstreamRequest, completion: @escaping Completion) {
        let now = DispatchTime.now()
        let deadline = now + configuration.requestTimeout.dispatch
        let connectDeadline = now + min(configuration.connectWait, configuration.requestTimeout).dispatch
        // From the upstream loop's own thread this runs when its current batch ends, not on another thread.
        loop.execute { [self] in
            guard !stopped else { return completion(.failure(.shuttingDown)) }
            let pending = Pending(
                request: request, completion: completion, deadline: deadline, connectDeadline: connectDeadline)
            if waiting.isEmpty, active != nil, inFlight.count < configuration.maxInFlight {
                transmit(pending)
            } else if waiting.count < configuration.maxQueued {
                waiting.append(pending)
            } else {
                return completion(.failure(.overloaded))
            }
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
            stopped = true
            for pending in waiting { pending.completion(.failure(.shuttingDown)) }
            waiting.removeAll()
            for pending in inFlight.values {
                pending.completion(.failure(.disconnected(outcomeUnknown: pending.request.effect == .stateChanging)))
            }
            inFlight.removeAll()
            for link in links.values { link.link.close() }
            completion()
        }
    }

    // MARK: Requests

    private func transmit(_ pending: Pending) {
        guard let generation = active else { return waiting.prepend(pending) }
        var pending = pending
        let id = nextID
        nextID += 1
        pending.attempts += 1
        pending.generation = generation
        inFlight[id] = pending
        links[generation]?.inFlight += 1
        links[generation]?.link.send(pending.request.encode(id))
    }

    /// Sends waiting requests while the window has room.
    private func pump() {
        while active != nil, inFlight.count < configuration.maxInFlight, let next = waiting.popFirst() {
            transmit(next)
        }
    }

    private func received(_ frame: [UInt8], on generation: Int) {
        guard let envelope = UpstreamEnvelope.scan(frame) else {
            logger.warning("unreadable upstream frame", metadata: ["bytes": "\(frame.count)"])
            return
        }
        guard let id = envelope.id, let pending = inFlight.removeValue(forKey: id) else {
            // Late (already timed out) or connection-level (id null), e.g. a revoked session.
            logger.notice(
                "upstream answer without a waiting request",
                metadata: ["status": "\(envelope.status)", "id": "\(envelope.id.map(String.init) ?? "null")"])
            return
        }
        finishedOnLink(pending.generation)
        if links[generation]?.answered == false {
            links[generation]?.answered = true
            failedAttempts = 0
        }
        pending.completion(.success(UpstreamReply(frame: frame, envelope: envelope)))
        pump()
    }

    private func finishedOnLink(_ generation: Int) {
        guard var link = links[generation] else { return }
        link.inFlight -= 1
        links[generation] = link
        if link.draining && link.inFlight == 0 { link.link.close() }
    }

    // MARK: Deadlines

    private func scheduleSweep() {
        guard !sweepScheduled, !inFlight.isEmpty || !waiting.isEmpty else { return }
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
            inFlight.removeValue(forKey: id)
            finishedOnLink(pending.generation)
            pending.completion(.failure(.timedOut))
        }
        // With no connection up and none being opened, a request never sent waits `connectWait`
        // at most, not its whole deadline.
        let connectless = active == nil && !connecting
        func expired(_ pending: Pending) -> Bool {
            pending.deadline <= now || (connectless && pending.attempts == 0 && pending.connectDeadline <= now)
        }
        if waiting.contains(where: expired) {
            var kept = Deque<Pending>()
            for pending in waiting {
                if !expired(pending) {
                    kept.append(pending)
                } else {
                    pending.completion(.failure(pending.attempts > 0 ? .timedOut : .unavailable))
                }
            }
            waiting = kept
        }
        pump()
        scheduleSweep()
    }

    // MARK: Connections

    private func connect() {
        guard !connecting, !stopped else { return }
        connecting = true
        let generation = nextGeneration
        nextGeneration += 1
        connector.connect(
            queue: queue,
            onFrame: { [weak self] frame in self?.received(frame, on: generation) },
            onClose: { [weak self] error in self?.linkClosed(generation, error: error) },
            completion: { [weak self] result in self?.connectFinished(generation, result) }
        )
    }

    private func connectFinished(_ generation: Int, _ result: Result<any UpstreamLink, any Error>) {
        connecting = false
        switch result {
        case .failure(let error):
            failedAttempts += 1
            logger.warning("upstream connect failed", metadata: ["error": "\(error)", "attempt": "\(failedAttempts)"])
            scheduleConnect(after: backoffDelay())
        case .success(let link):
            guard !stopped else { return link.close() }
            let previous = active
            links[generation] = Link(link: link, connectedAt: .now(), connectedAtMillis: Self.nowMillis())
            active = generation
            connects += 1
            if let previous, var old = links[previous] {
                rotations += 1
                old.draining = true
                links[previous] = old
                logger.info("upstream rotated", metadata: ["draining": "\(old.inFlight)"])
                if old.inFlight == 0 { old.link.close() }
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
        guard let closed = links.removeValue(forKey: generation) else { return }
        var retried = 0
        var failed = 0
        for (id, pending) in inFlight where pending.generation == generation {
            inFlight.removeValue(forKey: id)
            if pending.request.effect == .readOnly && pending.attempts < 2 {
                waiting.prepend(pending)
                retried += 1
            } else {
                pending.completion(.failure(.disconnected(outcomeUnknown: pending.request.effect == .stateChanging)))
                failed += 1
            }
        }
        if generation == active {
            active = nil
            logger.warning(
                "upstream disconnected",
                metadata: [
                    "error": "\(error.map { "\($0)" } ?? "closed")", "retrying": "\(retried)", "failed": "\(failed)",
                ])
            // A connection that answered (or lived a while) resets the backoff; one that keeps
            // dying before any answer (a flapping upstream) backs off like a failed connect.
            let age = DispatchTime.now().uptimeNanoseconds - closed.connectedAt.uptimeNanoseconds
            if closed.answered || age > 10_000_000_000 {
                failedAttempts = 0
                scheduleConnect(after: .zero)
            } else {
                failedAttempts += 1
                scheduleConnect(after: backoffDelay())
            }
        }
        pump()
        scheduleSweep()
    }

    /// Connects after `delay`; for a rotation, only if `onlyIfActive` is still the active link.
    private func scheduleConnect(after delay: Duration, onlyIfActive generation: Int? = nil) {
        queue.asyncAfter(deadline: .now() + delay.dispatch) { [weak self] in
            guard let self, !stopped else { return }
            if let generation, active != generation { return }
            connect()
        }
    }

    /// Exponential backoff with jitter: a random delay in [d/2, d], d doubling up to the cap.
    private func backoffDelay() -> Duration {
        let exponent = min(failedAttempts, 20)
        let initial = configuration.reconnectInitialDelay.seconds
        let ceiling = min(configuration.reconnectMaxDelay.seconds, initial * Double(1 << exponent))
        return .milliseconds(Int(ceiling * Double.random(in: 0.5...1.0) * 1000))
    }

    private func currentStatus() -> UpstreamStatus {
        let link = active.flatMap { links[$0] }
        return UpstreamStatus(
            connected: link != nil,
            connectedSinceMillis: link?.connectedAtMillis,
            rotationDueMillis: link.map { $0.connectedAtMillis + Int64(configuration.rotateAfter.seconds * 1000) },
            inFlight: inFlight.count,
            queued: waiting.count,
            connects: connects,
            reconnects: reconnects,
            rotations: rotations
        )
    }

    static func nowMillis() -> Int64 { WallClock.milliseconds }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
