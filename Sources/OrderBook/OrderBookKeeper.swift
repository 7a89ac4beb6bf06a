import Dispatch
import Logging
import Synchronization

/// Maintains one symbol's book: subscribes to its diff stream on a `DepthFeed`, fetches
/// snapshots from a `DepthSnapshotSource`, and runs `DepthSynchronizer`'s actions. Reads render
/// the top of the book under the same lock the feed applies events under.
///
/// All mutable state is in one `Mutex<Core>`; feed, snapshot and read calls may come from any
/// thread. Snapshot retries wait on `queue`, which the owning `OrderBooks` keeps.
final class OrderBookKeeper: Sendable {
    enum Phase: Sendable {
        case running(any DepthFeedSubscription)
        /// The exchange refused the symbol; the keeper stays only to answer reads until swept.
        case refused(code: Int, message: String)
        case stopped
    }

    struct Core: Sendable {
        var synchronizer: DepthSynchronizer
        var phase: Phase = .stopped
        /// Clock readings (ms): the last read, and when the book last took a snapshot or event.
        var lastRead: Int64
        var lastChange: Int64 = 0
        /// A gap was counted and the book has not been rebuilt since: the next sync is a resync.
        var gapOpen = false
        /// The `"bids":[…],"asks":[…]` text of the book as it is, by limit; emptied when it changes.
        var renderedSides: [Int: [UInt8]] = [:]
    }

    let symbol: String
    let isPinned: Bool
    private let core: Mutex<Core>
    private let context: OrderBooks.Context

    init(symbol: String, isPinned: Bool, context: OrderBooks.Context) {
        self.symbol = symbol
        self.isPinned = isPinned
        self.context = context
        core = Mutex(Core(synchronizer: DepthSynchronizer(), lastRead: context.clock()))
    }

    var stream: String { symbol.lowercased() + "@depth@100ms" }

    func start() {
        let subscription = context.feed.subscribe(stream: stream) { [weak self] message in
            self?.receive(message)
        }
        core.withLock { $0.phase = .running(subscription) }
        run { $0.start() }
    }

    func stop() {
        let phase = core.withLock { core in
            defer { if case .running = core.phase { core.phase = .stopped } }
            return core.phase
        }
        if case .running(let subscription) = phase { subscription.cancel() }
    }

    /// Whether nobody has read the book for `idleMillis`.
    func isIdle(now: Int64, idleMillis: Int64) -> Bool {
        core.withLock { now - $0.lastRead >= idleMillis }
    }

    var isSynced: Bool { core.withLock { $0.synchronizer.book != nil } }

    func read(limit: Int) -> BookRead {
        let now = context.clock()
        return core.withLock { core in
            core.lastRead = now
            if case .refused(let code, let message) = core.phase { return .refused(code: code, message: message) }
            guard let book = core.synchronizer.book else { return .syncing }
            var out: [UInt8] = []
            out.reserveCapacity(128 + (core.renderedSides[limit]?.count ?? 0))
            out.append(contentsOf: #"{"symbol":""#.utf8)
            out.append(contentsOf: symbol.utf8)
            out.append(contentsOf: #"","lastUpdateId":\#(book.lastUpdateId),"E":\#(book.eventTime),"#.utf8)
            out.append(contentsOf: #""T":\#(book.transactionTime),"age_ms":\#(max(0, now - core.lastChange)),"#.utf8)
            if let sides = core.renderedSides[limit] {
                out.append(contentsOf: sides)
            } else {
                let sides = Self.renderSides(book, limit: limit)
                core.renderedSides[limit] = sides
                out.append(contentsOf: sides)
            }
            return .book(out)
        }
    }

    /// `"bids":[…],"asks":[…]}`: the part of a read that changes only with the book.
    private static func renderSides(_ book: LocalOrderBook, limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + 2 * min(limit, max(book.bids.count, book.asks.count)) * 40)
        out.append(contentsOf: #""bids":"#.utf8)
        book.bids.writeJSON(top: limit, into: &out)
        out.append(contentsOf: #","asks":"#.utf8)
        book.asks.writeJSON(top: limit, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private func receive(_ message: DepthFeedMessage) {
        switch message {
        case .payload(let bytes):
            do {
                let event = try DepthEvent(parsing: bytes)
                guard event.symbol == symbol else { throw DepthMessageError.field("s") }
                run { $0.receive(event) }
            } catch {
                context.count(\.unreadablePayloads)
                context.logger.warning(
                    "unreadable depth payload", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
                run { $0.feedInterrupted("unreadable payload (\(error))") }
            }
        case .gap(let reason):
            run { $0.feedInterrupted(reason) }
        }
    }

    /// Runs one input of the synchronizer, if the keeper runs, and then its actions.
    private func run(_ input: (inout DepthSynchronizer) -> [DepthSynchronizer.Action]) {
        let now = context.clock()
        let (actions, resynced) = core.withLock { core -> ([DepthSynchronizer.Action], Bool) in
            guard case .running = core.phase else { return ([], false) }
            let actions = input(&core.synchronizer)
            core.renderedSides.removeAll(keepingCapacity: true)  // any input may have changed the book
            if core.synchronizer.book != nil { core.lastChange = now }
            var resynced = false
            for action in actions {
                switch action {
                case .countGap: core.gapOpen = true
                case .synced:
                    resynced = core.gapOpen
                    core.gapOpen = false
                case .fetchSnapshot: break
                }
            }
            return (actions, resynced)
        }
        for action in actions { perform(action, resynced: resynced) }
    }

    private func perform(_ action: DepthSynchronizer.Action, resynced: Bool) {
        switch action {
        case .countGap(let reason):
            context.count(\.gaps)
            context.logger.warning(
                "order book gap; resyncing from a new snapshot",
                metadata: ["symbol": "\(symbol)", "reason": "\(reason)"])
        case .synced(let lastUpdateId):
            if resynced { context.count(\.resyncs) }
            context.logger.info(
                resynced ? "order book resynced" : "order book synced",
                metadata: ["symbol": "\(symbol)", "lastUpdateId": "\(lastUpdateId)"])
        case .fetchSnapshot(let request, let attempt):
            context.count(\.snapshots)
            guard attempt > 0 else { return fetch(request) }
            let delayMillis = min(250 << min(attempt - 1, 6), 10_000)
            context.queue.asyncAfter(deadline: .now() + .milliseconds(delayMillis)) { [weak self] in
                self?.fetch(request)
            }
        }
    }

    private func fetch(_ request: Int) {
        context.snapshots.fetchSnapshot(symbol: symbol, limit: context.snapshotLimit) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let bytes):
                do {
                    let snapshot = try DepthSnapshot(parsing: bytes)
                    run { $0.receive(snapshot, request: request) }
                } catch {
                    context.logger.warning(
                        "unreadable depth snapshot", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
                    run { $0.snapshotFailed(request: request) }
                }
            case .failure(.unavailable(let reason)):
                context.logger.notice(
                    "depth snapshot failed; retrying", metadata: ["symbol": "\(symbol)", "reason": "\(reason)"])
                run { $0.snapshotFailed(request: request) }
            case .failure(.refused(let code, let message)):
                context.logger.warning(
                    "depth snapshot refused; the book stops",
                    metadata: ["symbol": "\(symbol)", "code": "\(code)", "reason": "\(message)"])
                refuse(code: code, message: message)
            }
        }
    }

    private func refuse(code: Int, message: String) {
        let phase = core.withLock { core in
            defer { core.phase = .refused(code: code, message: message) }
            return core.phase
        }
        if case .running(let subscription) = phase { subscription.cancel() }
    }
}
