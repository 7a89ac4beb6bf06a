/// A failed SQLite call: its result code and SQLite's message for it.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: Int32
    public let message: String

    public var description: String { "SQLite error \(code): \(message)" }
}
