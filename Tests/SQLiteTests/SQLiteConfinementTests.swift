import Testing

@testable import SQLite

#if canImport(Glibc)
import Glibc
#endif

/// The runtime check behind `SQLiteDatabase`'s `@unchecked Sendable`: one user at a time.
@Suite("SQLite confinement")
struct SQLiteConfinementTests {
    private static func temporaryPath() -> String {
        "/tmp/sqlite-confinement-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).db"
    }

    @Test func oneUserAtATimeWorks() throws {
        let path = Self.temporaryPath()
        defer { unlink(path) }
        let database = try SQLiteDatabase(path: path)
        try database.execute("CREATE TABLE t (x INTEGER)")
        try database.prepare("INSERT INTO t VALUES (?1)").run([.integer(7)])
        #expect(try database.prepare("SELECT x FROM t").rows() == [[.integer(7)]])
        #expect(database.lastInsertRowID == 1)
    }

    @Test func aSecondUseDuringAnotherStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let path = "/tmp/sqlite-confinement-exit-\(getpid()).db"
            defer { unlink(path) }
            let database = try SQLiteDatabase(path: path)
            // What a second thread would do while the first is inside SQLite.
            try database.exclusive { () throws(SQLiteError) in try database.execute("SELECT 1") }
        }
    }
}
