import HTTP1
import Synchronization

/// Answers kept by `Idempotency-Key`: a repeat of a finished request gets the first answer
/// again, a repeat of one still in flight waits for it. Nothing is sent upstream twice.
/// An answer that proves nothing happened (a local 429, "not sent", an exchange refusal) is
/// handed to those waiting but not kept: the key is free for a retry.
///
/// Bounded: at most `capacity` keys, each for `lifetime`; the oldest go first.
final class IdempotencyStore: Sendable {
    enum Claim {
        /// First use: run the request, then `finish`.
        case run
        /// Already answered (or answering): the response arrives through the waiter.
        case wait
        /// The key was used for different parameters.
        case conflict
    }

    private struct Entry {
        let fingerprint: [UInt8]
        let createdAt: ContinuousClock.Instant
        var response: HTTPResponse?
        var waiters: [@Sendable (HTTPResponse) -> Void]
    }

    /// `order` holds each claim's key and time, oldest first; a claim whose key was released
    /// (or claimed again since) no longer matches its entry and is skipped.
    private typealias State = (entries: [String: Entry], order: [(key: String, createdAt: ContinuousClock.Instant)])

    private let state = Mutex<State>(([:], []))
    private let capacity: Int
    private let lifetime: Duration

    init(capacity: Int = 100_000, lifetime: Duration = .seconds(24 * 3600)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// Claims `key` for a request identified by `fingerprint` (the call and its parameters).
    func claim(_ key: String, fingerprint: [UInt8], waiter: @escaping @Sendable (HTTPResponse) -> Void) -> Claim {
        let now = ContinuousClock.now
        let (claim, ready): (Claim, HTTPResponse?) = state.withLock { state in
            evict(&state, now: now)
            guard var entry = state.entries[key] else {
                state.entries[key] = Entry(fingerprint: fingerprint, createdAt: now, response: nil, waiters: [])
                state.order.append((key, now))
                return (.run, nil)
            }
            guard entry.fingerprint == fingerprint else { return (.conflict, nil) }
            if let response = entry.response { return (.wait, response) }
            entry.waiters.append(waiter)
            state.entries[key] = entry
            return (.wait, nil)
        }
        if let ready { waiter(Self.replayed(ready)) }
        return claim
    }

    /// Puts back a key known from the journal: with its answer, or in flight (`answer` nil,
    /// finished later with `finish`) while the gateway finds out what became of its request.
    func restore(_ key: String, fingerprint: [UInt8], answer: HTTPResponse?) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.entries[key] = Entry(fingerprint: fingerprint, createdAt: now, response: answer, waiters: [])
            state.order.append((key, now))
        }
    }

    /// Records the answer to the request that claimed `key` and hands it to those waiting;
    /// without `keep` the key is forgotten instead.
    func finish(_ key: String, _ response: HTTPResponse, keep: Bool) {
        let waiters = state.withLock { state -> [@Sendable (HTTPResponse) -> Void] in
            guard var entry = state.entries[key] else { return [] }
            guard keep else {
                state.entries[key] = nil
                return entry.waiters
            }
            entry.response = response
            let waiters = entry.waiters
            entry.waiters = []
            state.entries[key] = entry
            return waiters
        }
        for waiter in waiters { waiter(Self.replayed(response)) }
    }

    private static func replayed(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.set("Idempotent-Replayed", "true")
        return response
    }

    private func evict(_ state: inout State, now: ContinuousClock.Instant) {
        var dropped = 0
        for (key, createdAt) in state.order {
            guard let entry = state.entries[key], entry.createdAt == createdAt else {
                dropped += 1
                continue
            }
            let expired = now - createdAt > lifetime && entry.response != nil
            guard expired || state.entries.count > capacity else { break }
            // An entry still in flight is never dropped: its waiters need the answer.
            guard entry.response != nil else { break }
            state.entries[key] = nil
            dropped += 1
        }
        if dropped > 0 { state.order.removeFirst(dropped) }
    }
}
