import Foundation
import Journal
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The journal keeps what it was told across a reopen of its file: entries in flight stay in
/// flight, finished ones keep their outcome and answer, and each key's newest answer is found.
@Suite final class CallJournalTests {
    private var made: [String] = []

    deinit {
        for path in made { try? FileManager.default.removeItem(atPath: path) }
    }

    private func directory() -> String {
        var template = Array("/tmp/journal-test-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        made.append(path)
        return path
    }

    private func entry(_ requestId: String, key: String?, created: Int64) -> JournalEntry {
        JournalEntry(
            createdMillis: created, requestId: requestId, call: "ws_futures_create_order", target: "order.place",
            security: "signed", arguments: #"{"symbol":"BTCUSDT","newClientOrderId":"\#(requestId)"}"#,
            clientOrderIdKey: "newClientOrderId", clientOrderId: requestId, idempotencyKey: key, fingerprint: [1, 2, 3])
    }

    private func begin(_ journal: CallJournal, _ entry: JournalEntry) async -> Int64? {
        await withCheckedContinuation { continuation in journal.begin(entry) { continuation.resume(returning: $0) } }
    }

    private func list(_ journal: CallJournal, since: Int64) async -> [JournalEntry] {
        await withCheckedContinuation { continuation in
            journal.entries(since: since, limit: 100) { continuation.resume(returning: $0) }
        }
    }

    @Test func entriesSurviveAReopenWithTheirOutcomes() async throws {
        let path = directory()
        let now: Int64 = 1_700_000_000_000
        do {
            let journal = try CallJournal(directory: path)
            let first = try #require(await begin(journal, entry("a", key: "key-a", created: now)))
            let second = try #require(await begin(journal, entry("b", key: "key-b", created: now + 1)))
            #expect(second > first)
            journal.finish(
                first, outcome: "applied",
                answer: JournalAnswer(status: 200, headers: "X-Gateway-Outcome: applied", body: Array("{}".utf8)),
                finishedMillis: now + 5)
            // A listing runs after every write queued before it.
            let listed = await list(journal, since: now)
            #expect(listed.map(\.requestId) == ["a", "b"])
            #expect(listed.map(\.outcome) == ["applied", nil])
        }
        let reopened = try CallJournal(directory: path)
        let state = try reopened.recoveryState(nowMillis: now + 10, keysSinceMillis: now - 1)
        #expect(state.inFlight.map(\.requestId) == ["b"])
        #expect(state.inFlight.first?.arguments == #"{"symbol":"BTCUSDT","newClientOrderId":"b"}"#)
        #expect(state.keyed.map(\.idempotencyKey) == ["key-a"])
        let answer = try #require(state.keyed.first?.answer)
        #expect(
            answer.status == 200 && answer.body == Array("{}".utf8) && answer.headers == "X-Gateway-Outcome: applied")
        #expect(state.keyed.first?.fingerprint == [1, 2, 3])
    }

    @Test func theStateDirectoryAndFileAreOwnerOnly() throws {
        let path = directory() + "/nested/state"
        let journal = try CallJournal(directory: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(journal.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func keysOlderThanTheirLifetimeAreNotRestored() async throws {
        let path = directory()
        let journal = try CallJournal(directory: path)
        let id = try #require(await begin(journal, entry("old", key: "key-old", created: 1000)))
        journal.finish(
            id, outcome: "applied", answer: JournalAnswer(status: 200, headers: "", body: []), finishedMillis: 1001)
        _ = await list(journal, since: 0)
        #expect(try journal.recoveryState(nowMillis: 5000, keysSinceMillis: 2000).keyed.isEmpty)
    }
}
