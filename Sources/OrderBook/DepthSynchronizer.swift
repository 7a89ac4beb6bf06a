/// The exchange's procedure for a local order book (USDⓈ-M, "How to manage a local order book
/// correctly") as a pure state machine for one symbol: it takes diff events, snapshots and feed
/// interruptions, and returns what its owner must do. It does no I/O and reads no clock.
///
/// 1. Events are buffered until a snapshot arrives. The first snapshot is asked for at the start
///    (so an unknown symbol is refused at once); after a feed interruption, once the next event
///    is buffered, so that the stream is known to be running again before the snapshot is taken.
/// 2. Events with `u` < the snapshot's `lastUpdateId` are dropped.
/// 3. The first event applied must have `U` <= `lastUpdateId` <= `u`, or follow the snapshot
///    directly (`pu` == `lastUpdateId`); if it starts later, the snapshot is too old and another
///    is asked for.
/// 4. Every later event's `pu` must equal the previous event's `u`; otherwise the book is
///    discarded (a gap) and the procedure starts again from a new snapshot, keeping that event.
/// Snapshots answer a numbered request; one for an older request (out of order, superseded) is
/// ignored.
public struct DepthSynchronizer: Sendable {
    public enum State: Sendable {
        /// Nothing received since the start or the last feed interruption.
        case awaitingEvents
        /// Buffering events while snapshot `request` is on its way.
        case awaitingSnapshot(buffer: [DepthEvent], request: Int)
        /// A book that follows the sequence rule. `isBridged` is false until the first event
        /// after the snapshot has been applied (the book is then the snapshot itself).
        case live(LocalOrderBook, isBridged: Bool)
    }

    /// What the owner does next.
    public enum Action: Sendable, Equatable {
        /// Ask the snapshot source for a snapshot, tagged `request`; `attempt` counts the tries
        /// since the last success (0: at once; more: after a pause).
        case fetchSnapshot(request: Int, attempt: Int)
        /// The sequence broke: count it and log it. The book is not served until it is synced again.
        case countGap(GapReason)
        /// The book follows the stream again (after the start or a gap).
        case synced(lastUpdateId: Int64)
    }

    /// Why a book had to be rebuilt.
    public enum GapReason: Sendable, Equatable, CustomStringConvertible {
        /// An event's `pu` is not the previous event's `u`.
        case sequence(expected: Int64, previousFinalUpdateId: Int64)
        /// The feed was interrupted (reconnected upstream, or a payload could not be read).
        case feed(String)

        public var description: String {
            switch self {
            case .sequence(let expected, let got): "event pu \(got) does not follow u \(expected)"
            case .feed(let reason): "feed interrupted: \(reason)"
            }
        }
    }

    /// Events kept while waiting for a snapshot; past it the oldest is dropped (the snapshot then
    /// shows whether the rest still bridges).
    public let maximumBuffered: Int
    public let levelCapacity: Int
    public private(set) var state: State = .awaitingEvents
    private var lastRequest = 0
    private var failedAttempts = 0

    public init(maximumBuffered: Int = 200, levelCapacity: Int = BookSide.defaultCapacity) {
        self.maximumBuffered = maximumBuffered
        self.levelCapacity = levelCapacity
    }

    /// The book when it may be served.
    public var book: LocalOrderBook? {
        if case .live(let book, _) = state { book } else { nil }
    }

    private mutating func requestSnapshot(buffer: [DepthEvent]) -> Action {
        lastRequest += 1
        state = .awaitingSnapshot(buffer: buffer, request: lastRequest)
        return .fetchSnapshot(request: lastRequest, attempt: failedAttempts)
    }

    /// The feed is subscribed: the first snapshot is asked for now.
    public mutating func start() -> [Action] {
        guard case .awaitingEvents = state else { return [] }
        return [requestSnapshot(buffer: [])]
    }

    /// Whether `event` may be the first one applied to a book at `lastUpdateId`.
    private static func bridges(_ event: DepthEvent, _ lastUpdateId: Int64) -> Bool {
        event.firstUpdateId <= lastUpdateId || event.previousFinalUpdateId == lastUpdateId
    }

    public mutating func receive(_ event: DepthEvent) -> [Action] {
        switch state {
        case .awaitingEvents:
            return [requestSnapshot(buffer: [event])]
        case .awaitingSnapshot(var buffer, let request):
            state = .awaitingEvents  // lets `buffer` be mutated in place
            if buffer.count >= maximumBuffered { buffer.removeFirst(buffer.count - maximumBuffered + 1) }
            buffer.append(event)
            state = .awaitingSnapshot(buffer: buffer, request: request)
            return []
        case .live(var book, let isBridged):
            if !isBridged {
                if event.finalUpdateId < book.lastUpdateId { return [] }
                guard Self.bridges(event, book.lastUpdateId) else {
                    failedAttempts += 1
                    return [requestSnapshot(buffer: [event])]
                }
            } else if event.previousFinalUpdateId != book.lastUpdateId {
                let gap = GapReason.sequence(
                    expected: book.lastUpdateId, previousFinalUpdateId: event.previousFinalUpdateId)
                return [.countGap(gap), requestSnapshot(buffer: [event])]
            }
            state = .awaitingEvents
            book.apply(event)
            state = .live(book, isBridged: true)
            return []
        }
    }

    public mutating func receive(_ snapshot: DepthSnapshot, request: Int) -> [Action] {
        guard case .awaitingSnapshot(let buffer, let current) = state, request == current else { return [] }
        var book = LocalOrderBook(snapshot, capacity: levelCapacity)
        let pending = buffer.drop { $0.finalUpdateId < snapshot.lastUpdateId }
        guard let first = pending.first else {
            failedAttempts = 0
            state = .live(book, isBridged: false)
            return [.synced(lastUpdateId: book.lastUpdateId)]
        }
        guard Self.bridges(first, snapshot.lastUpdateId) else {
            // The snapshot is older than everything buffered: ask again, keep the events.
            failedAttempts += 1
            return [requestSnapshot(buffer: Array(pending))]
        }
        book.apply(first)
        for index in pending.indices.dropFirst() {
            let event = pending[index]
            guard event.previousFinalUpdateId == book.lastUpdateId else {
                let gap = GapReason.sequence(
                    expected: book.lastUpdateId, previousFinalUpdateId: event.previousFinalUpdateId)
                return [.countGap(gap), requestSnapshot(buffer: Array(pending[index...]))]
            }
            book.apply(event)
        }
        failedAttempts = 0
        state = .live(book, isBridged: true)
        return [.synced(lastUpdateId: book.lastUpdateId)]
    }

    /// The snapshot of `request` could not be had (or read): ask again, after a pause.
    public mutating func snapshotFailed(request: Int) -> [Action] {
        guard case .awaitingSnapshot(let buffer, let current) = state, request == current else { return [] }
        failedAttempts += 1
        return [requestSnapshot(buffer: buffer)]
    }

    /// The feed lost events (upstream reconnect, unreadable payload): whatever was known is
    /// discarded and the procedure starts again at the next event.
    public mutating func feedInterrupted(_ reason: String) -> [Action] {
        let wasLive = book != nil
        state = .awaitingEvents
        return wasLive ? [.countGap(.feed(reason))] : []
    }
}
