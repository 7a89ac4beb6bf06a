import CSocketShims
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What an event loop calls back on a registered socket, on the loop's queue.
protocol EventLoopClient: AnyObject {
    func socketReady(readable: Bool, writable: Bool)
    func tick(now: DispatchTime)
}

/// A serial Dispatch queue that owns a set of sockets through one epoll instance.
///
/// The loop's own thread sleeps in `epoll_wait` and serves every ready socket in one
/// `queue.sync`, which runs on that thread when the queue is idle. A socket event then costs
/// one thread wake-up. A Dispatch read source on the epoll descriptor cost three: Dispatch's
/// manager thread, then a worker, then the manager again to re-arm the source. On a small
/// virtual machine each wake-up costs tens of microseconds. The queue still takes `async` work
/// (responses from other queues, timers), which Dispatch's workers run as before.
final class EventLoop: @unchecked Sendable {
    let queue: DispatchQueue
    private let epollFD: Int32
    /// A pipe whose read end is in the epoll set: a byte written to it stops the loop's thread.
    private let wakeFDs: (read: Int32, write: Int32)
    private var timer: DispatchSourceTimer?
    private var clients: [Int32: any EventLoopClient] = [:]
    private let serving = Atomic<Bool>(false)

    /// The loop's thread is serving ready sockets (see `InlineResponses`). Any thread.
    var isServing: Bool { serving.load(ordering: .relaxed) }

    init(label: String, tick: DispatchTimeInterval = .milliseconds(250)) {
        queue = DispatchQueue(label: label, target: .global(qos: .userInteractive))
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        var pipeFDs: [Int32] = [0, 0]
        precondition(pipe(&pipeFDs) == 0, "pipe failed: \(errno)")
        for fd in pipeFDs { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wakeFDs = (pipeFDs[0], pipeFDs[1])
        control(EPOLL_CTL_ADD, wakeFDs.read, readable: true, writable: false)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let now = DispatchTime.now()
            for client in clients.values { client.tick(now: now) }
        }
        timer.schedule(deadline: .now() + tick, repeating: tick, leeway: .milliseconds(50))
        timer.activate()
        self.timer = timer
        startThread()
    }

    /// The thread has ended (it keeps the loop alive while it runs): no one waits on the descriptor.
    deinit {
        timer?.cancel()
        close(epollFD)
    }

    /// Stops the loop's thread once it has served what is ready; the queue goes on taking work.
    /// The server calls it after shutting down. Any thread.
    func stop() {
        var byte: UInt8 = 1
        _ = write(wakeFDs.write, &byte, 1)
    }

    /// The thread keeps the loop alive until `stop`.
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
        var running = true
        while running {
            let count = epoll_wait(epollFD, events, Int32(capacity), -1)
            guard count >= 0 else {
                if errno == EINTR { continue }
                preconditionFailure("epoll_wait failed: \(errno)")
            }
            let ready = UnsafeBufferPointer(start: events, count: Int(count))
            serving.store(true, ordering: .relaxed)
            queue.sync { running = serve(ready) }
            serving.store(false, ordering: .relaxed)
        }
        close(wakeFDs.read)
        close(wakeFDs.write)
    }

    /// Starts watching `fd` for `client`. Call on `queue`.
    func register(_ fd: Int32, _ client: any EventLoopClient, readable: Bool, writable: Bool) {
        clients[fd] = client
        control(EPOLL_CTL_ADD, fd, readable: readable, writable: writable)
    }

    /// Changes which readiness `fd` is watched for. Call on `queue`.
    func watch(_ fd: Int32, readable: Bool, writable: Bool) {
        control(EPOLL_CTL_MOD, fd, readable: readable, writable: writable)
    }

    /// Hands `fd` to another client (a connection taken over after an upgrade). Call on `queue`.
    func replace(_ fd: Int32, with client: any EventLoopClient, readable: Bool, writable: Bool) {
        clients[fd] = client
        control(EPOLL_CTL_MOD, fd, readable: readable, writable: writable)
    }

    /// Stops watching `fd`; after this the descriptor may be closed. Call on `queue`.
    func unregister(_ fd: Int32) {
        clients.removeValue(forKey: fd)
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    private func control(_ operation: Int32, _ fd: Int32, readable: Bool, writable: Bool) {
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        _ = epoll_ctl(epollFD, operation, fd, &event)
    }

    /// Serves one batch of ready sockets, on `queue`; false once the stop byte has arrived.
    private func serve(_ events: UnsafeBufferPointer<epoll_event>) -> Bool {
        var running = true
        for event in events {
            if event.data.fd == wakeFDs.read {
                running = false
                continue
            }
            guard let client = clients[event.data.fd] else { continue }
            let flags = event.events
            let failed = flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
            client.socketReady(
                readable: failed || flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                writable: failed || flags & EPOLLOUT.rawValue != 0)
        }
        return running
    }
}
