internal import CSQLite

/// A value bound to a statement's parameter or read from a row.
public enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

/// One compiled statement of a `SQLiteDatabase`, used on its database's queue only; each call
/// checks, through the database, that nothing else uses the connection meanwhile.
public final class SQLiteStatement: @unchecked Sendable {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Resets the statement and binds `values` to its parameters `?1`, `?2`, … in order.
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        try database.exclusive { () throws(SQLiteError) in try bindValues(values) }
    }

    private func bindValues(_ values: [SQLiteValue]) throws(SQLiteError) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(statement, index)
            case .integer(let number): result = sqlite3_bind_int64(statement, index, number)
            case .text(let text): result = sqlite3_bind_text(statement, index, text, -1, Self.transient)
            case .blob(let bytes):
                result = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(
                        statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count),
                        Self.transient)
                }
            }
            guard result == SQLITE_OK else { throw database.failure(result) }
        }
    }

    /// Runs the statement to completion (for statements that return no rows).
    public func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try database.exclusive { () throws(SQLiteError) in
            try bindValues(values)
            while try step() {}
        }
    }

    /// Every row the statement returns, each as its columns' values.
    public func rows(_ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        try database.exclusive { () throws(SQLiteError) in
            try bindValues(values)
            var rows: [[SQLiteValue]] = []
            while try step() {
                rows.append((0..<sqlite3_column_count(statement)).map(column))
            }
            return rows
        }
    }

    /// Advances to the next row: true while there is one.
    private func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let result: throw database.failure(result)
        }
    }

    private func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let base = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension SQLiteValue {
    public var integer: Int64? { if case .integer(let number) = self { number } else { nil } }
    public var text: String? { if case .text(let text) = self { text } else { nil } }
    public var blob: [UInt8]? {
        switch self {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
