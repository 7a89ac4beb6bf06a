internal import CSQLite
import Synchronization

/// One SQLite database file, opened read-write (created if missing) without SQLite's own
/// mutexes: the owner keeps every use on one queue (see `CallJournal`), which is why it is
/// `@unchecked Sendable`. Every call on it and its statements checks that no other is under
/// way (`exclusive`), so a use from two threads at once stops the process instead of
/// corrupting the connection.
public final class SQLiteDatabase: @unchecked Sendable {
    let handle: OpaquePointer
    private let inUse = Atomic<Bool>(false)

    /// Opens (or creates) the file at `path`; a new file gets mode 0600.
    public init(path: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(handle)
            throw SQLiteError(code: result, message: message)
        }
        self.handle = handle
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        try exclusive { () throws(SQLiteError) in try run(sql) }
    }

    private func run(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &error)
        guard result == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "failed"
            sqlite3_free(error)
            throw SQLiteError(code: result, message: message)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try exclusive { () throws(SQLiteError) in
            var statement: OpaquePointer?
            let result = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
            guard result == SQLITE_OK, let statement else { throw failure(result) }
            return SQLiteStatement(statement, database: self)
        }
    }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { exclusive { sqlite3_last_insert_rowid(handle) } }

    /// Runs `body` as the only user of the connection: the runtime check behind
    /// `@unchecked Sendable`. Not reentrant.
    func exclusive<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        precondition(
            !inUse.exchange(true, ordering: .acquiring), "a SQLite connection used by two threads at once")
        defer { inUse.store(false, ordering: .releasing) }
        return try body()
    }

    func failure(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}
