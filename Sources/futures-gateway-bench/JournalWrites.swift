import ArgumentParser
import Dispatch
import Foundation
import Journal

#if canImport(Glibc)
import Glibc
#endif

/// The journal's cost per order: each order's durable "about to send" write (waited for, as the
/// gateway waits before sending) and its outcome write, one order at a time and then with
/// `--parallel` orders in flight (where writes share commits).
struct JournalWrites: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal-writes",
        abstract: "Durable journal writes per order (fsync included).")

    @Option(help: "Directory for the journal (a new temporary one by default).")
    var directory: String?

    @Option(help: "Orders written one at a time.")
    var count: Int = 500

    @Option(help: "Orders in flight at once in the second run.")
    var parallel: Int = 64

    func run() throws {
        let path = directory ?? Self.temporaryDirectory()
        let journal = try CallJournal(directory: path)
        var summary = LatencySummary(name: "journal begin (sequential)", capacity: count)
        let started = LatencySummary.now()
        for index in 0..<count {
            let before = LatencySummary.now()
            let id = Self.begin(journal, index)
            summary.add(since: before)
            journal.finish(
                id, outcome: "applied",
                answer: JournalAnswer(
                    status: 200, headers: "X-Gateway-Outcome: applied",
                    body: Array(#"{"orderId":1}"#.utf8)),
                finishedMillis: 0)
        }
        Self.flush(journal)
        print(summary.json(seconds: Double(LatencySummary.now() - started) / 1e9))

        let parallelStart = LatencySummary.now()
        let total = count * 4
        let group = DispatchGroup()
        let slots = DispatchSemaphore(value: parallel)
        for index in 0..<total {
            slots.wait()
            group.enter()
            journal.begin(Self.entry(count + index)) { id in
                journal.finish(
                    id ?? 0, outcome: "applied", answer: JournalAnswer(status: 200, headers: "", body: []),
                    finishedMillis: 0)
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        Self.flush(journal)
        let seconds = Double(LatencySummary.now() - parallelStart) / 1e9
        print(
            #"{"name":"journal begin+finish (\#(parallel) in flight)","orders":\#(total),"seconds":\#(seconds),"#
                + #""ordersPerSecond":\#(Int(Double(total) / seconds))}"#)
        if directory == nil { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func entry(_ index: Int) -> JournalEntry {
        JournalEntry(
            createdMillis: 0, requestId: "bench-\(index)", call: "ws_futures_create_order", target: "order.place",
            security: "signed",
            arguments: #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"0.010","price":"30000.0"}"#,
            clientOrderIdKey: "newClientOrderId", clientOrderId: "bench-\(index)", idempotencyKey: nil, fingerprint: [])
    }

    private static func begin(_ journal: CallJournal, _ index: Int) -> Int64 {
        let done = DispatchSemaphore(value: 0)
        let box = LockedID()
        journal.begin(entry(index)) { id in
            box.set(id ?? 0)
            done.signal()
        }
        done.wait()
        return box.value
    }

    /// Waits until every queued write is committed (a listing runs after them).
    private static func flush(_ journal: CallJournal) {
        let done = DispatchSemaphore(value: 0)
        journal.entries(since: Int64.max, limit: 1) { _ in done.signal() }
        done.wait()
    }

    private static func temporaryDirectory() -> String {
        var template = Array((NSTemporaryDirectory() + "journal-bench-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
}

/// One id handed from the journal's queue to the waiting thread.
private final class LockedID: @unchecked Sendable {
    private let lock = NSLock()
    private var id: Int64 = 0
    func set(_ value: Int64) {
        lock.lock()
        id = value
        lock.unlock()
    }
    var value: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return id
    }
}
