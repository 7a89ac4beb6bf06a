/// The answer to one read of a maintained book.
public enum BookRead: Sendable, Equatable {
    /// The book's JSON: `{"symbol","lastUpdateId","E","T","age_ms","bids","asks"}`.
    case book([UInt8])
    /// Not synced yet (just started, or rebuilding after a gap).
    case syncing
    /// The exchange refused the snapshot (an unknown symbol): its code and message.
    case refused(code: Int, message: String)
    /// Starting the book would exceed the number of books maintained at once.
    case tooManyBooks(limit: Int)
}

/// What the books have done since the start, for `/metrics`.
public struct BookCounters: Sendable, Equatable {
    /// Sequence breaks and feed interruptions of a synced book.
    public var gaps: UInt64 = 0
    /// Syncs after a gap (the first sync of a book is not a resync).
    public var resyncs: UInt64 = 0
    /// Snapshots asked for.
    public var snapshots: UInt64 = 0
    /// Payloads the books could not read.
    public var unreadablePayloads: UInt64 = 0
    /// Books maintained now, and how many of them are synced.
    public var books = 0
    public var syncedBooks = 0

    public init() {}
}
