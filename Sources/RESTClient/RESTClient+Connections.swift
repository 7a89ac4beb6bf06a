import Dispatch
import EventLoops

/// The connection side of `RESTClient`: connect lazily with capped backoff, follow each
/// connection's events, retire it after GOAWAY, settle its requests when it is lost.
extension RESTClient {
    /// Starts connecting unless a connection is up or coming, or the backoff says wait.
    func ensureConnection() {
        dispatchPrecondition(condition: .onQueue(queue))
        connect(state.ensureConnection(at: .now))
    }

    private func connect(_ step: RESTClientState<any RESTConnection>.ConnectStep) {
        switch step {
        case .none:
            break
        case .armRetry(let wait):
            queue.asyncAfter(deadline: .now() + wait.dispatch) { [weak self] in
                guard let self else { return }
                dispatchPrecondition(condition: .onQueue(queue))
                connect(state.retryDue(at: .now))
            }
        case .connect(let generation, let http1):
            connector.connect(
                http1: http1,
                onEvent: { [weak self] event in self?.handle(event, on: generation) },
                completion: { [weak self] result in self?.connectFinished(generation, result) }
            )
        }
    }

    private func connectFinished(_ generation: Int, _ result: Result<any RESTConnection, RESTConnector.Failure>) {
        dispatchPrecondition(condition: .onQueue(queue))
        switch result {
        case .failure(let error):
            let attempt = state.connectFailed(generation, at: .now)
            logger.warning(
                "REST upstream connect failed",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(error)", "attempt": "\(attempt)",
                ])
            // Waiting requests keep their deadlines; the next attempt comes after the backoff.
            if window.queuedCount > 0 { ensureConnection() }
        case .success(let connection):
            let opened = state.connected(
                generation, connection: connection, protocolName: connection.protocolName, at: .now)
            guard case .serving(let fellBackToHTTP1) = opened else { return connection.close() }
            if fellBackToHTTP1 {
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
            state.answered(on: generation)
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
        guard state.slots[generation] != nil else { return }
        let (retried, failed) = window.connectionLost(generation)
        for (pending, failure) in failed { pending.item.completion(.failure(failure)) }
        let lost = retried + failed.count
        guard state.connectionClosed(generation, lostRequests: lost, at: .now) else { return }
        if lost > 0 || reason != nil {
            logger.warning(
                "REST upstream disconnected",
                metadata: [
                    "endpoint": "\(endpoint)", "error": "\(reason ?? "closed")", "inFlight": "\(lost)",
                ])
        }
    }

    /// Stops opening streams on `generation` (GOAWAY, or it stopped accepting); it closes once
    /// its last request is done, and a new connection takes over.
    func retire(_ generation: Int) {
        state.retire(generation, inFlight: window.inFlightCount(on: generation))?.close()
    }

    func closeIfDrained(_ generation: Int) {
        state.closeIfDrained(generation, inFlight: window.inFlightCount(on: generation))?.close()
    }

    /// Closes `generation` after `idleTimeout` with nothing in flight (when configured).
    private func scheduleIdleCheck(_ generation: Int) {
        guard let idle = configuration.idleTimeout, state.slots[generation] != nil,
            window.inFlightCount(on: generation) == 0
        else { return }
        queue.asyncAfter(deadline: .now() + idle.dispatch) { [weak self] in
            guard let self else { return }
            dispatchPrecondition(condition: .onQueue(queue))
            guard state.isIdle(generation, inFlight: window.inFlightCount(on: generation), idle: idle, at: .now)
            else { return }
            logger.debug("REST upstream idle; closing", metadata: ["endpoint": "\(endpoint)"])
            retire(generation)
        }
    }
}
