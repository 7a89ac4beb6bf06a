import Dispatch
import EventLoops
import Logging
import Synchronization

/// Every book the gateway maintains, one `OrderBookKeeper` per symbol. The first read of a
/// symbol starts its book; a book nobody has read for `idleTimeout` is stopped (pinned books,
/// `--book`, never are). At most `maximumBooks` run at once.
///
/// The table is a `Mutex<[String: OrderBookKeeper]>`; the idle sweep and snapshot retries run
/// on `queue`, whose timer `shutdown()` cancels.
public final class OrderBooks: Sendable {
    public struct Configuration: Sendable {
        public var idleTimeout: Duration
        public var maximumBooks: Int
        /// Levels asked for per snapshot (the exchange allows 5…1000).
        public var snapshotLimit: Int

        public init(idleTimeout: Duration = .seconds(300), maximumBooks: Int = 64, snapshotLimit: Int = 1000) {
            self.idleTimeout = idleTimeout
            self.maximumBooks = maximumBooks
            self.snapshotLimit = snapshotLimit
        }
    }

    /// What every keeper shares.
    final class Context: Sendable {
        let feed: any DepthFeed
        let snapshots: any DepthSnapshotSource
        let snapshotLimit: Int
        let clock: @Sendable () -> Int64
        let queue: DispatchQueue
        let logger: Logger
        let counters = Mutex(BookCounters())

        init(
            feed: any DepthFeed, snapshots: any DepthSnapshotSource, snapshotLimit: Int,
            clock: @escaping @Sendable () -> Int64, queue: DispatchQueue, logger: Logger
        ) {
            self.feed = feed
            self.snapshots = snapshots
            self.snapshotLimit = snapshotLimit
            self.clock = clock
            self.queue = queue
            self.logger = logger
        }

        func count(_ counter: WritableKeyPath<BookCounters, UInt64> & Sendable) {
            counters.withLock { $0[keyPath: counter] += 1 }
        }
    }

    public let configuration: Configuration
    private let context: Context
    private let keepers = Mutex<[String: OrderBookKeeper]>([:])
    private let sweeper: Mutex<any DispatchSourceTimer>

    /// - Parameter clock: milliseconds on any steady scale (ages and idleness are differences).
    public init(
        feed: any DepthFeed, snapshots: any DepthSnapshotSource, configuration: Configuration = Configuration(),
        clock: @escaping @Sendable () -> Int64 = { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) },
        logger: Logger
    ) {
        self.configuration = configuration
        let queue = DispatchQueue(label: "futures-gateway.order-books")
        context = Context(
            feed: feed, snapshots: snapshots, snapshotLimit: configuration.snapshotLimit, clock: clock, queue: queue,
            logger: logger)
        let sweeper = DispatchSource.makeTimerSource(queue: queue)
        let idleMillis = configuration.idleTimeout.milliseconds
        let period = min(max(idleMillis / 4, 100), 60_000)
        sweeper.schedule(deadline: .now() + .milliseconds(Int(period)), repeating: .milliseconds(Int(period)))
        self.sweeper = Mutex(sweeper)
        self.sweeper.withLock { timer in
            timer.setEventHandler { [weak self] in self?.stopIdleBooks(idleMillis: idleMillis) }
            timer.resume()
        }
    }

    /// Whether `text` is a symbol as the exchange spells it: upper-case letters, digits and `_`, at most 32.
    public static func isSymbol(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Reads `symbol`'s book (`symbol` as the exchange spells it, upper case), starting its
    /// maintenance if it has none.
    public func read(symbol: String, limit: Int) -> BookRead {
        guard let keeper = keeper(for: symbol, isPinned: false) else {
            return .tooManyBooks(limit: configuration.maximumBooks)
        }
        return keeper.read(limit: limit)
    }

    /// Starts `symbol`'s book now and keeps it however long it goes unread (`--book`).
    @discardableResult
    public func maintain(symbol: String) -> BookRead? {
        keeper(for: symbol, isPinned: true) == nil ? .tooManyBooks(limit: configuration.maximumBooks) : nil
    }

    private func keeper(for symbol: String, isPinned: Bool) -> OrderBookKeeper? {
        let (keeper, isNew) = keepers.withLock { table -> (OrderBookKeeper?, Bool) in
            if let keeper = table[symbol] { return (keeper, false) }
            guard table.count < configuration.maximumBooks else { return (nil, false) }
            let keeper = OrderBookKeeper(symbol: symbol, isPinned: isPinned, context: context)
            table[symbol] = keeper
            return (keeper, true)
        }
        guard let keeper else { return nil }
        if isNew {
            context.logger.info("order book started", metadata: ["symbol": "\(symbol)", "pinned": "\(isPinned)"])
            keeper.start()
        }
        return keeper
    }

    private func stopIdleBooks(idleMillis: Int64) {
        let now = context.clock()
        let idle = keepers.withLock { table in
            let idle = table.values.filter { !$0.isPinned && $0.isIdle(now: now, idleMillis: idleMillis) }
            for keeper in idle { table[keeper.symbol] = nil }
            return idle
        }
        for keeper in idle {
            keeper.stop()
            context.logger.info("order book stopped: not read for a while", metadata: ["symbol": "\(keeper.symbol)"])
        }
    }

    /// The counters, with the number of books now and how many are synced.
    public var counters: BookCounters {
        var counters = context.counters.withLock { $0 }
        let running = keepers.withLock { Array($0.values) }
        counters.books = running.count
        counters.syncedBooks = running.filter(\.isSynced).count
        return counters
    }

    /// The symbols maintained now.
    public var symbols: [String] { keepers.withLock { $0.keys.sorted() } }

    /// Stops every book and the idle sweep.
    public func shutdown() {
        sweeper.withLock { $0.cancel() }
        let all = keepers.withLock { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for keeper in all { keeper.stop() }
    }
}
