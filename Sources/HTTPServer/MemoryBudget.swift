import Synchronization

/// The bytes a server's connections may hold in buffers, all together.
///
/// Each connection charges what it holds (received input, a body being read, unsent output)
/// and checks `isExhausted` before it reads or decodes more; a connection that stops for the
/// budget looks again on its loop's next tick. So a thousand clients that flood, read slowly
/// or send slowly cannot make the process take more than the budget plus one read or one
/// response per loop. Any thread.
final class MemoryBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    var isExhausted: Bool { used.load(ordering: .relaxed) >= limit }

    /// Bytes charged now, by every connection.
    var inUse: Int { used.load(ordering: .relaxed) }

    /// Adds `delta` (negative to release) to what is charged.
    func charge(_ delta: Int) {
        if delta != 0 { used.add(delta, ordering: .relaxed) }
    }
}
