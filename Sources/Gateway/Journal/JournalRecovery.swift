import Dispatch
import HTTP1
import Journal
import Logging
import Pacing
import Synchronization
import Upstream

/// What the journal knew when the gateway started, put back to work: the answers of recent
/// `Idempotency-Key`s are restored, and every request the journal shows in flight (the
/// process died before its outcome was known) is looked up at the exchange once the upstream
/// is connected; its outcome is recorded, logged and kept for its key. `/readyz` reports
/// ready only after that (`isDone`).
public final class JournalRecovery: Sendable {
    /// How long a restored key answers: the `IdempotencyStore`'s lifetime.
    static let keyLifetimeMillis: Int64 = 24 * 3600 * 1000
    /// Lookups per in-flight entry before its outcome is left unknown.
    static let attempts = 5

    public let journal: CallJournal
    private let inFlight: [JournalEntry]
    private let keyed: [JournalEntry]
    private let done = Atomic<Bool>(false)

    /// Reads the journal's state; fails when the file cannot be read.
    public init(journal: CallJournal) throws(JournalError) {
        self.journal = journal
        let now = ServerClock.wallClockMillis()
        (inFlight, keyed) = try journal.recoveryState(nowMillis: now, keysSinceMillis: now - Self.keyLifetimeMillis)
    }

    /// True once every request found in flight has its outcome.
    public var isDone: Bool { done.load(ordering: .acquiring) }

    /// Requests the journal showed in flight at start.
    public var inFlightCount: Int { inFlight.count }

    /// Restores the keys now and reconciles the entries in flight once the upstream is connected.
    func start(idempotency: IdempotencyStore, executor: CallExecutor) {
        for entry in keyed {
            guard let key = entry.idempotencyKey, let answer = entry.answer,
                CallEffect(rawValue: entry.outcome ?? "")?.isFinal == true
            else { continue }
            idempotency.restore(key, fingerprint: entry.fingerprint, answer: JournalRecord.response(answer))
        }
        for entry in inFlight {
            if let key = entry.idempotencyKey { idempotency.restore(key, fingerprint: entry.fingerprint, answer: nil) }
        }
        guard !inFlight.isEmpty else { return done.store(true, ordering: .releasing) }
        let logger = executor.upstreams.logger
        logger.notice(
            "the journal shows requests in flight; reconciling them before reporting ready",
            metadata: ["inFlight": "\(inFlight.count)"])
        whenConnected(executor.upstreams.webSocket) { [self] in
            let remaining = Atomic<Int>(inFlight.count)
            for entry in inFlight {
                settle(entry, attemptsLeft: Self.attempts, idempotency: idempotency, executor: executor) {
                    if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                        logger.notice("requests in flight at start reconciled")
                        self.done.store(true, ordering: .releasing)
                    }
                }
            }
        }
    }

    private func settle(
        _ entry: JournalEntry, attemptsLeft: Int, idempotency: IdempotencyStore, executor: CallExecutor,
        completion: @escaping @Sendable () -> Void
    ) {
        let logger = executor.upstreams.logger
        guard let plan = JournalRecord.plan(entry) else {
            logger.error("unreadable journal entry left in flight", metadata: ["journalId": "\(entry.id)"])
            return completion()
        }
        let unknown = CallExecutor.response(.disconnected(outcomeUnknown: true), plan: plan)
        let sentAfter = entry.createdMillis + executor.upstreams.clock.offsetMillis - 1000
        executor.reconcile(plan, .lost, sentAfter: sentAfter, unknown: unknown) { [self] response, effect in
            // A lookup that could not tell (its upstream not answering yet) is tried again.
            if effect == .unknown, attemptsLeft > 1, response.headers["X-Gateway-Reconciled"] == "undetermined" {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) {
                    self.settle(
                        entry, attemptsLeft: attemptsLeft - 1, idempotency: idempotency, executor: executor,
                        completion: completion)
                }
                return
            }
            let response = CallExecutor.decorated(response, plan, requestId: entry.requestId, effect)
            journal.finish(
                entry.id, outcome: effect.word, answer: JournalRecord.answer(response),
                finishedMillis: ServerClock.wallClockMillis())
            if let key = entry.idempotencyKey { idempotency.finish(key, response, keep: effect.isFinal) }
            logger.notice(
                "request in flight at start reconciled",
                metadata: [
                    "requestId": "\(entry.requestId)", "call": "\(entry.call)",
                    "clientOrderId": "\(entry.clientOrderId ?? "")",
                    "outcome": "\(effect.word)",
                ])
            completion()
        }
    }

    /// Runs `body` once the shared WebSocket is connected (checked every 50 ms).
    private func whenConnected(_ webSocket: UpstreamMultiplexer, _ body: @escaping @Sendable () -> Void) {
        webSocket.status { status in
            guard status.connected else {
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
                    self.whenConnected(webSocket, body)
                }
                return
            }
            body()
        }
    }
}
