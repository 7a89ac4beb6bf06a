import Dispatch
import EventLoops

/// The connection side of `RESTClient`: connect lazily with capped backoff, follow each
/// connection's events, retire it after GOAWAY, settle its requests when it is lost.
extension RESTClient {
    /// How often one request may be refused unprocessed before it fails.
    static let maxRefusals = 3

    /// Starts connecting unless a connection is up or coming, or the backoff says wait.
    func ensureConnection() {
        guard !stopped, active == nil, !connecting else { return }
        let now = DispatchTime.now()
        guard now >= connectNotBefore else {
            guard !connectScheduled else { return }
            connectScheduled = true
            queue.asyncAfter(deadline: connectNotBefore) { [weak self] in
                guard let self else { return }
                connectScheduled = false
                ensureConnection()
            }
            return
        }
        connecting = true
        let generation = nextGeneration
        nextGeneration += 1
        connector.connect(
            http1: useHTTP1,
            onEvent: { [weak self] event in self?.handle(event, on: generation) },
            completion: { [weak self] result in self?.connectFinished(generation, result) }
        )
    }

    private func connectFinished(_ generation: Int, _ result: Result<any RESTConnection, RESTConnector.Failure>) {
        connecting = false
        switch result {
        case .failure(let error):
            failedAttempts += 1
            connectNotBefore = .now() + backoffDelay().dispatch
            logger.warning(
                "REST upstream connect failed",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(error)", "attempt": "\(failedAttempts)",
                ])
            // Waiting requests keep their deadlines; the next attempt comes after the backoff.
            if !waiting.isEmpty { ensureConnection() }
        case .success(let connection):
            guard !stopped else { return connection.close() }
            slots[generation] = Slot(connection: connection)
            active = generation
            connectionsOpened += 1
            lastProtocol = connection.protocolName
            if mode == .auto, !endpoint.isSecure, !useHTTP1, connection.protocolName == RESTProtocol.http1ALPN {
                useHTTP1 = true
                logger.notice("REST upstream does not speak h2c; using HTTP/1.1", metadata: ["endpoint": "\(endpoint)"])
            }
            logger.info(
                "REST upstream connected",
                metadata: [
                    "endpoint": "\(endpoint)", "protocol": "\(connection.protocolName)",
                ])
            scheduleIdleCheck(generation)
            pump()
        }
    }

    private func handle(_ event: RESTConnectionEvent, on generation: Int) {
        switch event {
        case .response(let id, let response):
            guard let pending = takeInFlight(id) else { break }
            slots[generation]?.answered = true
            failedAttempts = 0
            pending.completion(.success(response))
        case .refused(let id):
            guard var pending = takeInFlight(id) else { break }
            // Never processed: resending is safe even for a state-changing request, and it
            // does not count as an attempt. A server that keeps refusing gets `.unavailable`
            // (still never executed) rather than a busy loop until the deadline.
            pending.attempts -= 1
            pending.refusals += 1
            if pending.refusals > Self.maxRefusals {
                pending.completion(.failure(.unavailable))
            } else {
                waiting.prepend(pending)
            }
        case .reset(let id, let reason):
            guard let pending = takeInFlight(id) else { break }
            logger.warning("REST stream failed", metadata: ["reason": "\(reason)"])
            settleLost(pending)
        case .goingAway:
            logger.info("REST upstream sent GOAWAY", metadata: ["endpoint": "\(endpoint)"])
            retire(generation)
        case .capacityChanged:
            break
        case .closed(let reason):
            connectionClosed(generation, reason: reason)
        }
        closeIfDrained(generation)
        scheduleIdleCheck(generation)
        pump()
        scheduleSweep()
    }

    /// A request that may have reached the server and got no answer: a read-only one is
    /// retried once; a state-changing one ends with its outcome unknown, never resent.
    private func settleLost(_ pending: Pending) {
        if pending.request.effect == .readOnly && pending.attempts < 2 {
            waiting.prepend(pending)
        } else {
            pending.completion(.failure(.disconnected(outcomeUnknown: pending.request.effect == .stateChanging)))
        }
    }

    private func connectionClosed(_ generation: Int, reason: String?) {
        guard let slot = slots.removeValue(forKey: generation) else { return }
        let lost = inFlight.filter { $0.value.generation == generation }
        for (id, pending) in lost {
            inFlight.removeValue(forKey: id)
            settleLost(pending)
        }
        guard generation == active else { return }
        active = nil
        if !lost.isEmpty || reason != nil {
            logger.warning(
                "REST upstream disconnected",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(reason ?? "closed")", "inFlight": "\(lost.count)",
                ])
        }
        // A connection that answered resets the backoff; one that died before any answer
        // (a flapping upstream) backs off like a failed connect.
        if !slot.answered && !lost.isEmpty {
            failedAttempts += 1
            connectNotBefore = .now() + backoffDelay().dispatch
        }
    }

    /// Stops opening streams on `generation` (GOAWAY, or it stopped accepting); it closes once
    /// its last request is done, and a new connection takes over.
    func retire(_ generation: Int) {
        guard slots[generation] != nil else { return }
        slots[generation]?.draining = true
        if active == generation { active = nil }
        closeIfDrained(generation)
    }

    func closeIfDrained(_ generation: Int) {
        guard let slot = slots[generation], slot.draining, slot.inFlight == 0 else { return }
        slot.connection.close()
    }

    /// Closes `generation` after `idleTimeout` with nothing in flight (when configured).
    private func scheduleIdleCheck(_ generation: Int) {
        guard let idle = configuration.idleTimeout, let slot = slots[generation], slot.inFlight == 0 else { return }
        queue.asyncAfter(deadline: .now() + idle.dispatch) { [weak self] in
            guard let self, let slot = slots[generation], slot.inFlight == 0,
                DispatchTime.now() >= slot.lastActive + idle.dispatch
            else { return }
            logger.debug("REST upstream idle; closing", metadata: ["endpoint": "\(endpoint)"])
            retire(generation)
        }
    }

    /// Exponential backoff with jitter: a random delay in [d/2, d], d doubling up to the cap.
    func backoffDelay() -> Duration {
        let exponent = min(failedAttempts, 20)
        let initial = configuration.reconnectInitialDelay.seconds
        let ceiling = min(configuration.reconnectMaxDelay.seconds, initial * Double(1 << exponent))
        return .milliseconds(Int(ceiling * Double.random(in: 0.5...1.0) * 1000))
    }
}
