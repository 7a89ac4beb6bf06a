import DequeModule

/// The requests one upstream client holds: a bounded queue of requests waiting for a place,
/// a bounded table of attempts on the wire keyed by attempt id, each request's deadlines, and
/// the rules for a request whose connection died (read-only: retried once; state-changing:
/// never resent) or that the server refused unprocessed (resent, a bounded number of times).
///
/// A pure value: no I/O, no timers, no clock of its own. Every time comes in as `now` from
/// the owner's clock, so tests drive it with made-up instants. It never calls a completion;
/// it hands back the entries whose outcome is decided, with that outcome, and the owner
/// completes them. Owned by one serial queue (the owner's).
public struct RequestWindow<Item, Instant: InstantProtocol> where Instant.Duration == Duration {
    /// One request and what the window knows about it. The window sets the counters; an
    /// owner reads them from its copy.
    public struct Entry {
        public let item: Item
        public let effect: RequestEffect
        /// Past this the request fails: `.timedOut` if it went on the wire, else `.unavailable`.
        public let deadline: Instant
        /// Past this, a request never sent fails as `.unavailable` while no connection is up
        /// and none is being opened.
        public let connectDeadline: Instant
        /// Attempts the server may have processed.
        public var attempts = 0
        /// True once an attempt went on the wire.
        public var sent = false
        /// Times the server refused it unprocessed.
        public var refusals = 0
        /// The connection of the latest attempt.
        public var generation = -1

        @usableFromInline init(item: Item, effect: RequestEffect, deadline: Instant, connectDeadline: Instant) {
            self.item = item
            self.effect = effect
            self.deadline = deadline
            self.connectDeadline = connectDeadline
        }
    }

    /// Bounds and deadlines of the window.
    public struct Limits: Sendable {
        public var requestTimeout: Duration
        public var connectWait: Duration
        public var maxInFlight: Int
        public var maxQueued: Int
        /// Refusals of one request (server never processed it) before it fails `.unavailable`.
        public var maxRefusals: Int

        public init(
            requestTimeout: Duration, connectWait: Duration, maxInFlight: Int, maxQueued: Int, maxRefusals: Int = 3
        ) {
            self.requestTimeout = requestTimeout
            self.connectWait = connectWait
            self.maxInFlight = maxInFlight
            self.maxQueued = maxQueued
            self.maxRefusals = maxRefusals
        }
    }

    /// What a deadline sweep decided.
    public struct Expired {
        /// Attempts on the wire past their deadline (`.timedOut`), by attempt id.
        public var inFlight: [(id: UInt64, entry: Entry)] = []
        /// Queued requests past a deadline, with their failure.
        public var waiting: [(entry: Entry, failure: UpstreamFailure)] = []

        public var isEmpty: Bool { inFlight.isEmpty && waiting.isEmpty }

        @usableFromInline init() {}
    }

    public let limits: Limits
    @usableFromInline var inFlight: [UInt64: Entry] = [:]
    @usableFromInline var inFlightByGeneration: [Int: Int] = [:]
    @usableFromInline var waiting = Deque<Entry>()
    @usableFromInline var nextID: UInt64 = 1

    public init(limits: Limits) {
        self.limits = limits
    }

    @inlinable public var inFlightCount: Int { inFlight.count }
    @inlinable public var queuedCount: Int { waiting.count }
    /// True when nothing waits and nothing is on the wire (no deadline to watch).
    @inlinable public var isEmpty: Bool { inFlight.isEmpty && waiting.isEmpty }
    /// True while another attempt may go on the wire.
    @inlinable public var hasRoom: Bool { inFlight.count < limits.maxInFlight }

    /// Attempts on the wire on connection `generation`.
    @inlinable public func inFlightCount(on generation: Int) -> Int { inFlightByGeneration[generation] ?? 0 }

    // MARK: Admission and sending

    /// Takes a new request submitted at `now`, or refuses it (`false`: `.overloaded`) when the
    /// queue is full and it could not go on the wire at once. `connectionHasRoom` says whether
    /// the connection could take an attempt now.
    @inlinable public mutating func admit(
        _ item: Item, effect: RequestEffect, at now: Instant, connectionHasRoom: Bool
    ) -> Bool {
        let sendableNow = waiting.isEmpty && hasRoom && connectionHasRoom
        guard waiting.count < limits.maxQueued || sendableNow else { return false }
        waiting.append(
            Entry(
                item: item, effect: effect, deadline: now.advanced(by: limits.requestTimeout),
                connectDeadline: now.advanced(by: min(limits.connectWait, limits.requestTimeout))))
        return true
    }

    /// The next request to send while the window has room; give it back with `requeue` if it
    /// cannot go out, or record it with `recordSent`.
    @inlinable public mutating func nextToSend() -> Entry? {
        guard hasRoom else { return nil }
        return waiting.popFirst()
    }

    /// Puts a request back at the head of the queue.
    @inlinable public mutating func requeue(_ entry: Entry) {
        waiting.prepend(entry)
    }

    /// A fresh attempt id, unique for the life of the window.
    @inlinable public mutating func makeID() -> UInt64 {
        defer { nextID += 1 }
        return nextID
    }

    /// `entry` went on the wire as attempt `id` on connection `generation`.
    @inlinable public mutating func recordSent(_ entry: Entry, id: UInt64, generation: Int) {
        var entry = entry
        entry.attempts += 1
        entry.sent = true
        entry.generation = generation
        inFlight[id] = entry
        inFlightByGeneration[generation, default: 0] += 1
    }

    // MARK: Outcomes

    /// Removes attempt `id` (answered, reset or refused); `nil` if it is no longer in flight
    /// (timed out, or never sent under that id).
    @inlinable public mutating func take(_ id: UInt64) -> Entry? {
        guard let entry = inFlight.removeValue(forKey: id) else { return nil }
        release(entry.generation)
        return entry
    }

    /// A taken attempt the server provably never processed: queued again at the head (it does
    /// not count as an attempt), or failed `.unavailable` once refused more than `maxRefusals`.
    @inlinable public mutating func resendUnprocessed(_ entry: Entry) -> UpstreamFailure? {
        var entry = entry
        entry.attempts -= 1
        entry.refusals += 1
        guard entry.refusals <= limits.maxRefusals else { return .unavailable }
        waiting.prepend(entry)
        return nil
    }

    /// A taken attempt that may have reached the server and got no answer: a read-only
    /// request on its first attempt is queued again at the head; anything else fails
    /// `.disconnected`, its outcome unknown if it could change state.
    @inlinable public mutating func settleLost(_ entry: Entry) -> UpstreamFailure? {
        if entry.effect == .readOnly && entry.attempts < 2 {
            waiting.prepend(entry)
            return nil
        }
        return .disconnected(outcomeUnknown: entry.effect == .stateChanging)
    }

    /// Connection `generation` is gone: every attempt on it is settled as lost. Returns how
    /// many were queued again and the ones that failed.
    @inlinable public mutating func connectionLost(
        _ generation: Int
    ) -> (
        retried: Int, failed: [(entry: Entry, failure: UpstreamFailure)]
    ) {
        var retried = 0
        var failed: [(entry: Entry, failure: UpstreamFailure)] = []
        for (id, entry) in inFlight where entry.generation == generation {
            inFlight.removeValue(forKey: id)
            if let failure = settleLost(entry) {
                failed.append((entry, failure))
            } else {
                retried += 1
            }
        }
        inFlightByGeneration[generation] = nil
        return (retried, failed)
    }

    // MARK: Deadlines

    /// Removes every request past a deadline at `now`. `connectless` (no connection up, none
    /// being opened) also ends requests never sent whose `connectDeadline` passed.
    @inlinable public mutating func expire(at now: Instant, connectless: Bool) -> Expired {
        var expired = Expired()
        for (id, entry) in inFlight where entry.deadline <= now {
            inFlight.removeValue(forKey: id)
            release(entry.generation)
            expired.inFlight.append((id, entry))
        }
        func isExpired(_ entry: Entry) -> Bool {
            entry.deadline <= now || (connectless && !entry.sent && entry.connectDeadline <= now)
        }
        if waiting.contains(where: isExpired) {
            var kept = Deque<Entry>()
            for entry in waiting {
                if isExpired(entry) {
                    expired.waiting.append((entry, entry.sent ? .timedOut : .unavailable))
                } else {
                    kept.append(entry)
                }
            }
            waiting = kept
        }
        return expired
    }

    /// Empties the window for shutdown: queued requests fail `.shuttingDown` (never sent),
    /// attempts on the wire fail `.disconnected`, queued ones first.
    @inlinable public mutating func drain() -> [(entry: Entry, failure: UpstreamFailure)] {
        var ended = waiting.map { (entry: $0, failure: UpstreamFailure.shuttingDown) }
        for entry in inFlight.values {
            ended.append((entry, .disconnected(outcomeUnknown: entry.effect == .stateChanging)))
        }
        waiting.removeAll()
        inFlight.removeAll()
        inFlightByGeneration.removeAll()
        return ended
    }

    @inlinable mutating func release(_ generation: Int) {
        guard let count = inFlightByGeneration[generation] else { return }
        inFlightByGeneration[generation] = count > 1 ? count - 1 : nil
    }
}
