import Dispatch
import EventLoops
import SQLite
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The durable record of every state-changing request: written before the request is sent
/// (`begin`), completed with its outcome and answer (`finish`), read at start to reconcile
/// what was in flight and to restore the answers of `Idempotency-Key`s.
///
/// One SQLite file (`journal.sqlite3` in the state directory) in WAL mode with
/// `synchronous=FULL`: a write is on disk (fsync'd) before its completion runs. Writes queue
/// up while one is being committed and the next commit takes them all, so under load many
/// requests share one fsync. The database is used on `queue` only.
public final class CallJournal: Sendable {
    /// How long finished entries are kept (and listed); older ones go at start and every
    /// `pruneEvery` entries.
    public static let retentionMillis: Int64 = 7 * 24 * 3600 * 1000
    static let pruneEvery = 10_000

    private struct Write {
        enum Kind {
            case begin(JournalEntry, completion: @Sendable (Int64?) -> Void)
            case finish(id: Int64, outcome: String, answer: JournalAnswer, finishedMillis: Int64)
        }

        let kind: Kind
    }

    private let queue = DispatchQueue(label: "futures-gateway.journal")
    private let store: JournalStore
    private let pending = Mutex<[Write]>([])
    public let path: String

    /// Opens (or creates) the journal in `directory`, which is created with mode 0700 if missing.
    public init(directory: String) throws(JournalError) {
        try Self.makeDirectory(directory)
        path = directory + "/journal.sqlite3"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unusable(path, reason: String(cString: strerror(errno))) }
        close(descriptor)
        do { store = try JournalStore(path: path, queue: queue) } catch {
            throw .unusable(path, reason: error.description)
        }
    }

    /// Records `entry` as about to be sent; `completion` gets its id once it is on disk, or
    /// `nil` when it could not be written (the request must then not be sent).
    public func begin(_ entry: JournalEntry, completion: @escaping @Sendable (Int64?) -> Void) {
        enqueue(Write(kind: .begin(entry, completion: completion)))
    }

    /// Records the outcome of entry `id` and the answer the client got.
    public func finish(_ id: Int64, outcome: String, answer: JournalAnswer, finishedMillis: Int64) {
        enqueue(Write(kind: .finish(id: id, outcome: outcome, answer: answer, finishedMillis: finishedMillis)))
    }

    /// Entries created at or after `sinceMillis`, oldest first, at most `limit`.
    public func entries(since sinceMillis: Int64, limit: Int, completion: @escaping @Sendable ([JournalEntry]) -> Void)
    {
        queue.async { [store] in completion((try? store.entries(since: sinceMillis, limit: limit)) ?? []) }
    }

    /// Read at start, before any request: entries still in flight, and the newest finished entry
    /// of each `Idempotency-Key` created after `keysSinceMillis`. Drops entries older than the retention.
    public func recoveryState(
        nowMillis: Int64, keysSinceMillis: Int64
    ) throws(JournalError) -> (
        inFlight: [JournalEntry],
        keyed: [JournalEntry]
    ) {
        let result: Result<(inFlight: [JournalEntry], keyed: [JournalEntry]), SQLiteError> = queue.sync { [store] in
            Result { () throws(SQLiteError) in
                try store.prune(before: nowMillis - Self.retentionMillis)
                return (try store.inFlight(), try store.keyed(since: keysSinceMillis))
            }
        }
        switch result {
        case .success(let state): return state
        case .failure(let error): throw .unusable(path, reason: error.description)
        }
    }

    private func enqueue(_ write: Write) {
        let first = pending.withLock { writes in
            writes.append(write)
            return writes.count == 1
        }
        if first { queue.async { [self] in commitPending() } }
    }

    /// Commits every queued write in one transaction (one fsync), then runs the completions.
    private func commitPending() {
        dispatchPrecondition(condition: .onQueue(queue))
        let writes = pending.withLock { writes in
            defer { writes.removeAll() }
            return writes
        }
        var completions: [() -> Void] = []
        do {
            try store.transaction { () throws(SQLiteError) in
                for write in writes {
                    switch write.kind {
                    case .begin(let entry, let completion):
                        let id = try store.insert(entry)
                        completions.append { completion(id) }
                    case .finish(let id, let outcome, let answer, let finishedMillis):
                        try store.finish(id, outcome: outcome, answer: answer, finishedMillis: finishedMillis)
                    }
                }
            }
        } catch {
            // Nothing of the batch is on disk: no request of it may be sent.
            let line = "journal: cannot write \(path): \(error)\n"
            _ = line.withCString { Glibc.write(2, $0, strlen($0)) }
            completions = writes.compactMap { write in
                if case .begin(_, let completion) = write.kind { return { completion(nil) } }
                return nil
            }
        }
        for completion in completions { completion() }
        if store.insertedSincePruning >= Self.pruneEvery {
            try? store.prune(before: WallClock.now.seconds * 1000 - Self.retentionMillis)
        }
    }

    private static func makeDirectory(_ directory: String) throws(JournalError) {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .unusable(directory, reason: String(cString: strerror(errno)))
            }
        }
    }
}

/// Why the journal cannot be used.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    case unusable(String, reason: String)

    public var description: String {
        switch self {
        case .unusable(let path, let reason): "state journal \(path): \(reason)"
        }
    }
}
