#if canImport(Glibc)
import Glibc
#endif
import CSocketShims
import Dispatch

/// What an event loop calls back on a registered socket, on the loop's queue.
protocol EventLoopClient: AnyObject {
    func socketReady(readable: Bool, writable: Bool)
    func tick(now: DispatchTime)
}

/// A serial Dispatch queue that owns a set of sockets through one epoll instance.
///
/// Dispatch watches the epoll descriptor with one read source; when it fires, the loop
/// collects every ready socket in one `epoll_wait` and serves them in one drain. This
/// replaces a read source, a write source and a timer per connection, whose events each
/// cost Dispatch a hand-off between its manager thread and a worker.
final class EventLoop: @unchecked Sendable {
    let queue: DispatchQueue
    private let epollFD: Int32
    private var source: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var clients: [Int32: any EventLoopClient] = [:]

    init(label: String, tick: DispatchTimeInterval = .milliseconds(250)) {
        queue = DispatchQueue(label: label, target: .global(qos: .userInteractive))
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        let source = DispatchSource.makeReadSource(fileDescriptor: epollFD, queue: queue)
        source.setEventHandler { [unowned self] in poll() }
        source.activate()
        self.source = source
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [unowned self] in
            let now = DispatchTime.now()
            for client in clients.values { client.tick(now: now) }
        }
        timer.schedule(deadline: .now() + tick, repeating: tick, leeway: .milliseconds(50))
        timer.activate()
        self.timer = timer
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

    private func poll() {
        withUnsafeTemporaryAllocation(of: epoll_event.self, capacity: 256) { events in
            while true {
                let count = epoll_wait(epollFD, events.baseAddress, Int32(events.count), 0)
                guard count > 0 else { return }
                for index in 0..<Int(count) {
                    let event = events[index]
                    guard let client = clients[event.data.fd] else { continue }
                    let flags = event.events
                    let failed = flags & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
                    client.socketReady(readable: failed || flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0,
                                       writable: failed || flags & EPOLLOUT.rawValue != 0)
                }
                if Int(count) < events.count { return }
            }
        }
    }
}
