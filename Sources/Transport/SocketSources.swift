import Dispatch

/// The read watcher (`ReadWatcher`) and the write Dispatch source of one socket, switched on
/// and off by need, and cancelled together before the socket may be closed.
///
/// Closing a descriptor while something still watches it is undefined, so `cancel(then:)`
/// runs its continuation only after the watcher's thread and the source have let go.
/// All state is confined to `queue` (every call is made there and the handlers run there),
/// which is why the class may be `@unchecked Sendable`.
final class SocketSources: @unchecked Sendable {
    private let readWatcher: ReadWatcher
    private let writeSource: DispatchSourceWrite
    private(set) var reading = false
    private(set) var writing = false
    private var cancelled = false
    private var pendingCancellations = 0

    /// The handlers may capture their owner strongly: the cycle ends at `cancel(then:)`.
    init(
        fd: Int32, queue: DispatchQueue, onReadable: @escaping @Sendable () -> Void,
        onWritable: @escaping @Sendable () -> Void
    ) {
        readWatcher = ReadWatcher(fd: fd, queue: queue, onReadable: onReadable)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        writeSource.setEventHandler(handler: onWritable)
    }

    func setReading(_ wanted: Bool) {
        guard wanted != reading, !cancelled else { return }
        reading = wanted
        readWatcher.watch(wanted)
    }

    func setWriting(_ wanted: Bool) {
        guard wanted != writing, !cancelled else { return }
        writing = wanted
        if wanted { writeSource.resume() } else { writeSource.suspend() }
    }

    /// Stops the watcher and cancels the source; `done` runs on the queue once neither touches the descriptor.
    func cancel(then done: @escaping @Sendable () -> Void) {
        guard !cancelled else { return }
        cancelled = true
        pendingCancellations = 2
        let finished: @Sendable () -> Void = { [self] in
            pendingCancellations -= 1
            if pendingCancellations == 0 { done() }
        }
        readWatcher.stop(then: finished)
        // A suspended source never delivers its cancellation: resume it first.
        if !writing { writeSource.resume() }
        writeSource.setEventHandler(handler: nil)
        writeSource.setCancelHandler(handler: finished)
        writeSource.cancel()
    }
}
