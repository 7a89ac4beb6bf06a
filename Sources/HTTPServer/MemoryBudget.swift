import Synchronization

/// The bytes a server's connections may hold in buffers, all together.
///
/// Each connection charges what it holds (received input, a body being read, unsent output)
/// and asks `allows(holding:)` before it reads or decodes more; a connection that stops for the
/// budget looks again on its loop's next tick. So a thousand clients that flood, read slowly
/// or send slowly cannot make the process take more than the budget and its reserve. The
/// reserve (half the budget more) lets a connection that holds nothing read one small piece
/// (a request head) while the budget is spent: a new client's request is still read and
/// answered while the hostile ones wait, and each hostile one gets one piece at most. Any thread.
final class MemoryBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// All of the budget is in use: connections that stall are cut off sooner
    /// (`ServerConfiguration.pressureTimeout`).
    var isUnderPressure: Bool { used.load(ordering: .relaxed) >= limit }

    /// The budget and its reserve are spent: a connection that holds more than one read's worth
    /// gives it up (an upgraded connection closes).
    var isExhausted: Bool { used.load(ordering: .relaxed) >= limit + limit / 2 }

    /// Bytes a connection holding `held` may read now: a full buffer within the budget, one small
    /// piece from the reserve when it holds nothing, else none.
    func allowance(holding held: Int) -> Int {
        let used = used.load(ordering: .relaxed)
        if used < limit { return Self.fullRead }
        return held == 0 && used < limit + limit / 2 ? Self.reserveRead : 0
    }

    /// The most a connection reads at once.
    static let fullRead = 64 * 1024
    /// What a connection that holds nothing may read from the reserve: enough for most requests.
    static let reserveRead = 4 * 1024

    /// Bytes charged now, by every connection.
    var inUse: Int { used.load(ordering: .relaxed) }

    /// Adds `delta` (negative to release) to what is charged.
    func charge(_ delta: Int) {
        if delta != 0 { used.add(delta, ordering: .relaxed) }
    }
}
