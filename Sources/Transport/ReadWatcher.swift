import CSocketShims
import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Watches one socket for input with a thread of its own, asleep in `epoll_wait`, and runs the
/// handler on the stream's queue with `queue.sync`, which runs it on that thread when the queue
/// is idle.
///
/// It replaces a Dispatch read source, whose every event cost three thread wake-ups (Dispatch's
/// manager thread, a worker, the manager again to re-arm the source); the shared upstream
/// WebSocket takes one event per answer, and on a small virtual machine each wake-up costs tens
/// of microseconds. The socket leaves the epoll set while reading is off, so a hang-up then
/// does not spin the thread.
final class ReadWatcher: @unchecked Sendable {
    private let fd: Int32
    private let queue: DispatchQueue
    private let epollFD: Int32
    private let wakeFDs: (read: Int32, write: Int32)
    /// Confined to `queue`.
    private var onReadable: (() -> Void)?
    private var watching = false
    private var stopped = false
    private var onStopped: (@Sendable () -> Void)?

    init(fd: Int32, queue: DispatchQueue, onReadable: @escaping () -> Void) {
        self.fd = fd
        self.queue = queue
        self.onReadable = onReadable
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        var pipeFDs: [Int32] = [0, 0]
        precondition(pipe(&pipeFDs) == 0, "pipe failed: \(errno)")
        for descriptor in pipeFDs { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        wakeFDs = (pipeFDs[0], pipeFDs[1])
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFDs.read
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFDs.read, &event)
        let watcher = Unmanaged.passRetained(self).toOpaque()  // released when the thread ends
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<ReadWatcher>.fromOpaque(argument!).takeRetainedValue().run()
                return nil
            }, watcher)
        precondition(started == 0, "pthread_create failed: \(started)")
        pthread_detach(thread)
    }

    /// Turns watching on or off. Call on `queue`.
    func watch(_ wanted: Bool) {
        guard wanted != watching, !stopped else { return }
        watching = wanted
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.fd = fd
        _ = epoll_ctl(epollFD, wanted ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &event)
    }

    /// Stops the thread; `done` runs on `queue` once it no longer touches the socket. Call on `queue`, once.
    func stop(then done: @escaping @Sendable () -> Void) {
        guard !stopped else { return }
        stopped = true
        onReadable = nil
        onStopped = done
        var byte: UInt8 = 1
        _ = write(wakeFDs.write, &byte, 1)
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 2)
        loop: while true {
            let count = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, 2, -1) }
            guard count >= 0 else {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<Int(count) where events[index].data.fd == wakeFDs.read { break loop }
            queue.sync { if !stopped { onReadable?() } }
        }
        close(epollFD)
        close(wakeFDs.read)
        close(wakeFDs.write)
        queue.async { [self] in
            let done = onStopped
            onStopped = nil
            done?()
        }
    }
}
