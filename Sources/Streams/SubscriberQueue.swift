import DequeModule
import Dispatch
import EventLoops
import Synchronization

/// How much one local subscriber may have waiting before it is closed as a slow consumer.
public struct SubscriberLimits: Sendable {
    /// Frames handed over by the hub and not yet written.
    public var maxFrames: Int
    /// Bytes waiting: frames not yet written plus what the socket has not taken.
    public var maxBytes: Int

    public init(maxFrames: Int = 4096, maxBytes: Int = 1 << 20) {
        self.maxFrames = maxFrames
        self.maxBytes = maxBytes
    }
}

/// A local subscriber's bounded queue between the hub's queue and its connection's queue.
///
/// `receive` (hub queue) appends and, when the queue was empty, schedules one drain on the
/// connection's queue; the drain writes everything waiting. When that queue is an event loop's,
/// the drain goes through `EventLoop.execute`: a connection on the hub's own loop is written
/// when the hub's batch ends, on the same thread, and the drains for another loop's
/// connections reach it in one hand-off per batch, not one per subscriber. When frames or bytes pass the
/// limits, nothing more is queued and `overflow` runs once on the connection's queue: the owner
/// closes the connection (1008 "slow consumer"). Frames are shared with every other subscriber
/// until written, so a queue holds references, not copies. State is a `Mutex` around a value.
final class SubscriberQueue: StreamSink, Sendable {
    private struct Pending {
        var messages: Deque<StreamMessage> = []
        var bytes = 0
        var drainScheduled = false
        var overflowed = false
        var ended = false
    }

    private let pending = Mutex(Pending())
    private let limits: SubscriberLimits
    private let queue: DispatchQueue
    private let loop: EventLoop?
    private let write: @Sendable (StreamMessage) -> Void
    private let buffered: @Sendable () -> Int
    private let overflow: @Sendable () -> Void

    /// - Parameters:
    ///   - write: writes one message to the connection, on `queue`.
    ///   - buffered: bytes the connection holds unsent, on `queue`.
    ///   - overflow: closes the connection as a slow consumer, once, on `queue`.
    init(
        limits: SubscriberLimits, queue: DispatchQueue, write: @escaping @Sendable (StreamMessage) -> Void,
        buffered: @escaping @Sendable () -> Int, overflow: @escaping @Sendable () -> Void
    ) {
        self.limits = limits
        self.queue = queue
        self.loop = EventLoop.owning(queue)
        self.write = write
        self.buffered = buffered
        self.overflow = overflow
    }

    func receive(_ message: StreamMessage) {
        let size = message.frame.count
        let schedule = pending.withLock { state -> Bool in
            guard !state.overflowed, !state.ended else { return false }
            if state.messages.count >= limits.maxFrames || state.bytes + size > limits.maxBytes {
                state.overflowed = true
                state.messages = []
                state.bytes = 0
            } else {
                state.messages.append(message)
                state.bytes += size
            }
            guard !state.drainScheduled else { return false }
            state.drainScheduled = true
            return true
        }
        guard schedule else { return }
        if let loop {
            loop.execute { [self] in drain() }
        } else {
            queue.async { [self] in drain() }
        }
    }

    /// Stops delivery: later messages are dropped. On any thread.
    func end() {
        pending.withLock { state in
            state.ended = true
            state.messages = []
            state.bytes = 0
        }
    }

    private func drain() {
        dispatchPrecondition(condition: .onQueue(queue))
        let (messages, overflowed) = pending.withLock { state in
            state.drainScheduled = false
            let taken = state.messages
            state.messages = []
            state.bytes = 0
            return (taken, state.overflowed && !state.ended)
        }
        if overflowed { return finishOverflow() }
        for message in messages { write(message) }
        if buffered() > limits.maxBytes {
            pending.withLock { $0.overflowed = true }
            finishOverflow()
        }
    }

    private func finishOverflow() {
        let first = pending.withLock { state -> Bool in
            guard !state.ended else { return false }
            state.ended = true
            return true
        }
        if first { overflow() }
    }
}
