import Dispatch
import SQLite

/// The journal's SQL: one table of calls. Used on `queue` (`CallJournal`'s) only, which every
/// method checks; hence `@unchecked Sendable`.
final class JournalStore: @unchecked Sendable {
    private let queue: DispatchQueue
    private let database: SQLiteDatabase
    private let insertStatement: SQLiteStatement
    private let finishStatement: SQLiteStatement
    /// Entries inserted since the last `prune`.
    private(set) var insertedSincePruning = 0

    private static let columns = """
        id, created_ms, request_id, call, target, security, arguments, client_order_id_key, client_order_id,
        idempotency_key, fingerprint, outcome, status, headers, body, finished_ms
        """

    /// Opens the file; called before `queue` is used, from the thread that creates the journal.
    init(path: String, queue: DispatchQueue) throws(SQLiteError) {
        self.queue = queue
        database = try SQLiteDatabase(path: path)
        try database.execute(
            """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS calls (
                id INTEGER PRIMARY KEY,
                created_ms INTEGER NOT NULL,
                request_id TEXT NOT NULL,
                call TEXT NOT NULL,
                target TEXT NOT NULL,
                security TEXT NOT NULL,
                arguments TEXT NOT NULL,
                client_order_id_key TEXT,
                client_order_id TEXT,
                idempotency_key TEXT,
                fingerprint BLOB NOT NULL,
                outcome TEXT,
                status INTEGER,
                headers TEXT,
                body BLOB,
                finished_ms INTEGER
            );
            CREATE INDEX IF NOT EXISTS calls_created ON calls(created_ms);
            CREATE INDEX IF NOT EXISTS calls_in_flight ON calls(id) WHERE outcome IS NULL;
            """)
        insertStatement = try database.prepare(
            """
            INSERT INTO calls (created_ms, request_id, call, target, security, arguments, client_order_id_key,
                               client_order_id, idempotency_key, fingerprint)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            """)
        finishStatement = try database.prepare(
            """
            UPDATE calls SET outcome = ?2, status = ?3, headers = ?4, body = ?5, finished_ms = ?6 WHERE id = ?1
            """)
    }

    func transaction(_ body: () throws(SQLiteError) -> Void) throws(SQLiteError) {
        dispatchPrecondition(condition: .onQueue(queue))
        try database.execute("BEGIN IMMEDIATE")
        do {
            try body()
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    func insert(_ entry: JournalEntry) throws(SQLiteError) -> Int64 {
        dispatchPrecondition(condition: .onQueue(queue))
        func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .null }
        try insertStatement.run([
            .integer(entry.createdMillis), .text(entry.requestId), .text(entry.call), .text(entry.target),
            .text(entry.security), .text(entry.arguments), optional(entry.clientOrderIdKey),
            optional(entry.clientOrderId),
            optional(entry.idempotencyKey), .blob(entry.fingerprint),
        ])
        insertedSincePruning += 1
        return database.lastInsertRowID
    }

    func finish(_ id: Int64, outcome: String, answer: JournalAnswer, finishedMillis: Int64) throws(SQLiteError) {
        dispatchPrecondition(condition: .onQueue(queue))
        try finishStatement.run([
            .integer(id), .text(outcome), .integer(Int64(answer.status)), .text(answer.headers), .blob(answer.body),
            .integer(finishedMillis),
        ])
    }

    func entries(since sinceMillis: Int64, limit: Int) throws(SQLiteError) -> [JournalEntry] {
        dispatchPrecondition(condition: .onQueue(queue))
        return try select(
            "WHERE created_ms >= ?1 ORDER BY id LIMIT ?2", [.integer(sinceMillis), .integer(Int64(limit))])
    }

    func inFlight() throws(SQLiteError) -> [JournalEntry] {
        dispatchPrecondition(condition: .onQueue(queue))
        return try select("WHERE outcome IS NULL ORDER BY id", [])
    }

    /// The newest finished entry of each key created at or after `sinceMillis`.
    func keyed(since sinceMillis: Int64) throws(SQLiteError) -> [JournalEntry] {
        dispatchPrecondition(condition: .onQueue(queue))
        return try select(
            """
            WHERE id IN (SELECT MAX(id) FROM calls WHERE idempotency_key IS NOT NULL AND created_ms >= ?1
                         GROUP BY idempotency_key) AND outcome IS NOT NULL ORDER BY id
            """, [.integer(sinceMillis)])
    }

    func prune(before millis: Int64) throws(SQLiteError) {
        dispatchPrecondition(condition: .onQueue(queue))
        insertedSincePruning = 0
        try database.prepare("DELETE FROM calls WHERE created_ms < ?1 AND outcome IS NOT NULL").run([.integer(millis)])
    }

    private func select(_ clause: String, _ values: [SQLiteValue]) throws(SQLiteError) -> [JournalEntry] {
        try database.prepare("SELECT \(Self.columns) FROM calls \(clause)").rows(values).map(Self.entry)
    }

    private static func entry(_ row: [SQLiteValue]) -> JournalEntry {
        var entry = JournalEntry(
            createdMillis: row[1].integer ?? 0, requestId: row[2].text ?? "", call: row[3].text ?? "",
            target: row[4].text ?? "", security: row[5].text ?? "", arguments: row[6].text ?? "{}",
            clientOrderIdKey: row[7].text, clientOrderId: row[8].text, idempotencyKey: row[9].text,
            fingerprint: row[10].blob ?? [])
        entry.id = row[0].integer ?? 0
        entry.outcome = row[11].text
        if let status = row[12].integer {
            entry.answer = JournalAnswer(status: Int(status), headers: row[13].text ?? "", body: row[14].blob ?? [])
        }
        entry.finishedMillis = row[15].integer
        return entry
    }
}
