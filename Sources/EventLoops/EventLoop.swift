import CSocketShims
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A serial Dispatch queue that owns a set of sockets, server and client side, through one
/// epoll instance and a thread of its own.
///
/// The thread sleeps in `epoll_wait` and serves every ready socket in one `queue.sync`, which
/// runs on that thread when the queue is idle, so a socket event costs one thread wake-up
/// (see docs/PERFORMANCE.md for why a Dispatch source per socket is not used). The queue still
/// takes `async` work and timers, which Dispatch's workers run. Work given to `execute` from
/// the loop itself runs on the same thread once the current batch is served: that is how a
/// request read from one socket is written to another without waking a second thread.
///
/// Registered state (`clients`, `deferred`, `outbox`) is confined to `queue`; every method that touches it
/// checks that it runs there, which is why the class may be `@unchecked Sendable`.
public final class EventLoop: @unchecked Sendable {
    private static let key = DispatchSpecificKey<ObjectIdentifier>()

    public let queue: DispatchQueue
    private let epollFD: Int32
    private var timer: DispatchSourceTimer?
    private var clients: [Int32: any EventLoopClient] = [:]
    /// Work from `execute` on the loop, run when the current batch ends.
    private var deferred: [() -> Void] = []
    /// Work this loop's batch gives other loops, sent to each in one hand-off when it ends.
    private var outbox: [(target: EventLoop, work: [@Sendable () -> Void])] = []
    /// Where the loop's sockets read into, one at a time (`withReadBuffer`).
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: EventLoop.readBufferSize, alignment: 16)
    private var readBufferInUse = false
    /// A batch is open: `deferred` is drained when it ends, without an `async`.
    private var inBatch = false
    private var drainScheduled = false
    private let serving = Atomic<Bool>(false)
    private let handOffCount = Atomic<Int>(0)

    /// The loop's thread is serving ready sockets. Any thread.
    public var isServing: Bool { serving.load(ordering: .relaxed) }

    /// Work sent to this loop from another thread with `execute` so far: each one wakes a
    /// thread. Any thread.
    public var handOffs: Int { handOffCount.load(ordering: .relaxed) }

    /// True when the caller runs on the loop's queue. Any thread.
    public var inEventLoop: Bool { DispatchQueue.getSpecific(key: Self.key) == ObjectIdentifier(self) }

    /// The loop whose queue `queue` is, for code handed a queue that must find its sockets' loop.
    public static func owning(_ queue: DispatchQueue) -> EventLoop? {
        queue.getSpecific(key: key).flatMap(loop(identifiedBy:))
    }

    /// The loop whose queue the caller runs on, if any.
    private static var current: EventLoop? {
        DispatchQueue.getSpecific(key: key).flatMap(loop(identifiedBy:))
    }

    private static func loop(identifiedBy id: ObjectIdentifier) -> EventLoop? {
        EventLoopGroup.shared.loops.first { ObjectIdentifier($0) == id }
    }

    init(label: String, tick: DispatchTimeInterval = .milliseconds(250)) {
        queue = DispatchQueue(label: label, target: .global(qos: .userInteractive))
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        queue.setSpecific(key: Self.key, value: ObjectIdentifier(self))
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let now = DispatchTime.now()
            inBatch = true
            for client in clients.values { client.tick(now: now) }
            endBatch()
        }
        timer.schedule(deadline: .now() + tick, repeating: tick, leeway: .milliseconds(50))
        timer.activate()
        self.timer = timer
        startThread()
    }

    /// Checks that the caller runs on the loop's queue.
    public func preconditionInEventLoop() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    // MARK: Work

    /// Runs `work` on the loop: from the loop itself after the current batch of work, on the
    /// same thread. From another loop, the work joins what that loop sends here during its
    /// batch, and it all goes in one hand-off when the batch ends (a loop answering many
    /// connections of another wakes it once, not once per answer). From any other thread,
    /// with `async`, which wakes one.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        if inEventLoop { return afterBatch(work) }
        if let sender = Self.current { return sender.post(work, to: self) }
        receive(CollectionOfOne(work))
    }

    /// Queues `work` for `target`, to be sent when this loop's batch ends. On `queue`.
    private func post(_ work: @escaping @Sendable () -> Void, to target: EventLoop) {
        preconditionInEventLoop()
        if let index = outbox.firstIndex(where: { $0.target === target }) {
            outbox[index].work.append(work)
            return
        }
        if outbox.isEmpty { afterBatch { [self] in sendOutbox() } }
        outbox.append((target, [work]))
    }

    private func sendOutbox() {
        let batches = outbox
        outbox.removeAll(keepingCapacity: true)
        for batch in batches { batch.target.receive(batch.work) }
    }

    /// Runs `work`, in order, in one batch on the loop: one hand-off. Any thread.
    private func receive(_ work: some Collection<@Sendable () -> Void> & Sendable) {
        handOffCount.add(1, ordering: .relaxed)
        queue.async { [self] in
            inBatch = true
            for item in work { item() }
            endBatch()
        }
    }

    /// Runs `work` on the loop's thread once the current batch of work is done. On `queue`.
    public func afterBatch(_ work: @escaping () -> Void) {
        preconditionInEventLoop()
        deferred.append(work)
        if !inBatch && !drainScheduled {
            drainScheduled = true
            queue.async { [self] in
                drainScheduled = false
                inBatch = true
                endBatch()
            }
        }
    }

    /// Runs the deferred work, including what it defers in turn, and closes the batch.
    private func endBatch() {
        while !deferred.isEmpty {
            let work = deferred
            deferred.removeAll(keepingCapacity: true)
            for item in work { item() }
        }
        inBatch = false
    }

    // MARK: Reading

    /// The size of the loop's read buffer: no socket reads more in one call.
    public static let readBufferSize = 64 * 1024

    /// Calls `body` with `byteCount` bytes (at most `readBufferSize`) to read a socket into. The
    /// loop's own buffer serves one reader at a time, on the loop's queue: a read costs no
    /// allocation (a temporary one of 64 KiB is a `malloc` and a heap consolidation). A nested
    /// reader gets a temporary buffer. On `queue`.
    public func withReadBuffer<Result>(
        byteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        preconditionInEventLoop()
        precondition(byteCount <= Self.readBufferSize, "a read of \(byteCount) bytes is larger than the loop's buffer")
        guard !readBufferInUse else {
            return try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16, body)
        }
        readBufferInUse = true
        defer { readBufferInUse = false }
        return try body(UnsafeMutableRawBufferPointer(rebasing: readBuffer[..<byteCount]))
    }

    // MARK: Sockets

    /// Starts watching `fd` for `client`. On `queue`.
    public func register(_ fd: Int32, _ client: any EventLoopClient, readable: Bool, writable: Bool) {
        preconditionInEventLoop()
        clients[fd] = client
        control(EPOLL_CTL_ADD, fd, readable: readable, writable: writable)
    }

    /// Changes which readiness `fd` is watched for. On `queue`.
    public func watch(_ fd: Int32, readable: Bool, writable: Bool) {
        preconditionInEventLoop()
        control(EPOLL_CTL_MOD, fd, readable: readable, writable: writable)
    }

    /// Hands `fd` to another client (a connection taken over, a connected stream). On `queue`.
    public func replace(_ fd: Int32, with client: any EventLoopClient, readable: Bool, writable: Bool) {
        preconditionInEventLoop()
        clients[fd] = client
        control(EPOLL_CTL_MOD, fd, readable: readable, writable: writable)
    }

    /// Stops watching `fd`; after this the descriptor may be closed. On `queue`.
    public func unregister(_ fd: Int32) {
        preconditionInEventLoop()
        clients.removeValue(forKey: fd)
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    /// Sockets registered now. On `queue`.
    public var registeredCount: Int {
        preconditionInEventLoop()
        return clients.count
    }

    private func control(_ operation: Int32, _ fd: Int32, readable: Bool, writable: Bool) {
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        _ = epoll_ctl(epollFD, operation, fd, &event)
    }

    // MARK: The thread

    /// The thread keeps the loop alive: loops live as long as the process (`EventLoopGroup`).
    private func startThread() {
        let loop = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { argument in
                let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
                loop.run()
                return nil
            }, loop)
        precondition(started == 0, "pthread_create failed: \(started)")
        pthread_detach(thread)
    }

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while true {
            let count = epoll_wait(epollFD, events, Int32(capacity), -1)
            guard count >= 0 else {
                if errno == EINTR { continue }
                preconditionFailure("epoll_wait failed: \(errno)")
            }
            let ready = UnsafeBufferPointer(start: events, count: Int(count))
            serving.store(true, ordering: .relaxed)
            queue.sync { serve(ready) }
            serving.store(false, ordering: .relaxed)
        }
    }

    /// Serves one batch of ready sockets, then the work they deferred, on `queue`.
    private func serve(_ events: UnsafeBufferPointer<epoll_event>) {
        inBatch = true
        for event in events {
            guard let client = clients[event.data.fd] else { continue }
            let flags = event.events
            let failed = flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
            client.socketReady(
                readable: failed || flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                writable: failed || flags & EPOLLOUT.rawValue != 0)
        }
        endBatch()
    }
}
