import Dispatch
import EventLoops

/// The connection side of `RESTClient`: connect lazily with capped backoff, follow each
/// connection's events, retire it after GOAWAY, settle its requests when it is lost.
extension RESTClient {
    /// Starts connecting unless a connection is up or coming, or the backoff says wait.
    func ensureConnection() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard lifecycle.state == .disconnected else { return }
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
        guard let generation = lifecycle.beginConnect() else { return }
        connector.connect(
            http1: useHTTP1,
            onEvent: { [weak self] event in self?.handle(event, on: generation) },
            completion: { [weak self] result in self?.connectFinished(generation, result) }
        )
    }

    private func connectFinished(_ generation: Int, _ result: Result<any RESTConnection, RESTConnector.Failure>) {
        dispatchPrecondition(condition: .onQueue(queue))
        switch result {
        case .failure(let error):
            lifecycle.failed(generation)
            backoff.recordFailure()
            connectNotBefore = .now() + backoff.randomDelay().dispatch
            logger.warning(
                "REST upstream connect failed",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(error)", "attempt": "\(backoff.failures)",
                ])
            // Waiting requests keep their deadlines; the next attempt comes after the backoff.
            if window.queuedCount > 0 { ensureConnection() }
        case .success(let connection):
            guard case .active = lifecycle.opened(generation) else { return connection.close() }
            slots[generation] = Slot(connection: connection)
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
        dispatchPrecondition(condition: .onQueue(queue))
        switch event {
        case .response(let id, let response):
            guard let pending = takeInFlight(id) else { break }
            slots[generation]?.answered = true
            backoff.reset()
            pending.item.completion(.success(response))
        case .refused(let id):
            guard let pending = takeInFlight(id) else { break }
            // Never processed: resending is safe even for a state-changing request. A server
            // that keeps refusing gets `.unavailable` (still never executed) rather than a busy
            // loop until the deadline.
            if let failure = window.resendUnprocessed(pending) { pending.item.completion(.failure(failure)) }
        case .reset(let id, let reason):
            guard let pending = takeInFlight(id) else { break }
            logger.warning("REST stream failed", metadata: ["reason": "\(reason)"])
            if let failure = window.settleLost(pending) { pending.item.completion(.failure(failure)) }
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

    private func connectionClosed(_ generation: Int, reason: String?) {
        guard let slot = slots.removeValue(forKey: generation) else { return }
        let (retried, failed) = window.connectionLost(generation)
        for (pending, failure) in failed { pending.item.completion(.failure(failure)) }
        let lost = retried + failed.count
        guard lifecycle.lost(generation) else { return }
        if lost > 0 || reason != nil {
            logger.warning(
                "REST upstream disconnected",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(reason ?? "closed")", "inFlight": "\(lost)",
                ])
        }
        // A connection that answered resets the backoff; one that died before any answer
        // (a flapping upstream) backs off like a failed connect.
        if !slot.answered && lost > 0 {
            backoff.recordFailure()
            connectNotBefore = .now() + backoff.randomDelay().dispatch
        }
    }

    /// Stops opening streams on `generation` (GOAWAY, or it stopped accepting); it closes once
    /// its last request is done, and a new connection takes over.
    func retire(_ generation: Int) {
        guard slots[generation] != nil else { return }
        slots[generation]?.draining = true
        lifecycle.lost(generation)
        closeIfDrained(generation)
    }

    func closeIfDrained(_ generation: Int) {
        guard let slot = slots[generation], slot.draining, window.inFlightCount(on: generation) == 0 else { return }
        slot.connection.close()
    }

    /// Closes `generation` after `idleTimeout` with nothing in flight (when configured).
    private func scheduleIdleCheck(_ generation: Int) {
        guard let idle = configuration.idleTimeout, slots[generation] != nil, window.inFlightCount(on: generation) == 0
        else { return }
        queue.asyncAfter(deadline: .now() + idle.dispatch) { [weak self] in
            guard let self, let slot = slots[generation], window.inFlightCount(on: generation) == 0,
                DispatchTime.now() >= slot.lastActive + idle.dispatch
            else { return }
            logger.debug("REST upstream idle; closing", metadata: ["endpoint": "\(endpoint)"])
            retire(generation)
        }
    }
}
