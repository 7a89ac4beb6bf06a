/// Whether an `HTTPConnection` is inside a pass of decoding, and whether its next pass waits on
/// the loop's queue. A pure value, confined to the connection's loop.
///
/// A pass decodes a bounded number of requests, then yields so that the loop's other connections
/// get their turn; one continuation at most is queued. An answer that arrives during a pass is
/// encoded when the pass unwinds, not by the answer itself.
enum DecodeTurn: Sendable, Equatable {
    /// No pass runs and none is queued: input left over is decoded by the next event.
    case idle
    /// A pass runs; `nextQueued` if its continuation is already on the queue.
    case decoding(nextQueued: Bool)
    /// The next pass is queued behind the loop's other work; nothing else starts one.
    case queued

    var isDecoding: Bool {
        if case .decoding = self { return true }
        return false
    }

    /// A pass starts (from an event, or while a continuation is queued, from an answer).
    @inline(__always)
    mutating func begin() {
        switch self {
        case .idle: self = .decoding(nextQueued: false)
        case .queued: self = .decoding(nextQueued: true)
        case .decoding: preconditionFailure("decoding pass started inside another")
        }
    }

    /// The pass yields to the loop's other work. True if the caller must queue the continuation
    /// (none is queued yet).
    @inline(__always)
    mutating func yield() -> Bool {
        guard case .decoding(let nextQueued) = self else { preconditionFailure("yielding outside a pass") }
        self = .decoding(nextQueued: true)
        return !nextQueued
    }

    /// The pass returns.
    @inline(__always)
    mutating func end() {
        guard case .decoding(let nextQueued) = self else { preconditionFailure("ending a pass outside one") }
        self = nextQueued ? .queued : .idle
    }

    /// The queued continuation runs: it may start a pass.
    mutating func continuationRuns() {
        if case .queued = self { self = .idle }
    }
}
