import Dispatch
import EventLoops

/// Deadlines: which one runs, and what happens when it is reached. On the connection's loop.
extension HTTPConnection {
    func updateDeadline() {
        guard !phase.isClosed, !phase.isLingering else { return }
        deadline = HTTPConnectionDeadline.next(
            outputPending: outputPending, answersOwed: !pipeline.isEmpty, isBetweenRequests: isBetweenRequests,
            lastWriteProgress: lastWriteProgress, idleSince: idleSince, requestStartedAt: requestStartedAt,
            configuration: configuration)
    }

    func deadlineReached(now: DispatchTime) {
        guard !phase.isClosed, let deadline else { return }
        // Memory is short: a client that does not take its answers, or sends its request
        // slowly, is cut off after the pressure timeout, so that one that behaves gets in.
        let pressureTimeout = budget.isUnderPressure ? configuration.pressureTimeout.dispatch : nil
        guard
            deadline.isDue(
                now: now, pressureTimeout: pressureTimeout, lastWriteProgress: lastWriteProgress,
                requestStartedAt: requestStartedAt)
        else { return }
        switch deadline.kind {
        case .idle, .stalledWrite, .linger:
            close()
        case .requestRead:
            logger.debug("request read timeout")
            self.deadline = nil
            enqueueFinal(.error(ServerError.requestTimeout))
            writeReadySlots()
            flush()
        }
    }
}
