import Dispatch

/// The read and write Dispatch sources of one socket, switched on and off by need, and
/// cancelled together before the socket may be closed.
///
/// Closing a descriptor while a Dispatch source still watches it is undefined, so
/// `cancel(then:)` runs its continuation only after every source's cancel handler.
/// All state is confined to `queue` (every call is made there and the handlers run there),
/// which is why the class may be `@unchecked Sendable`.
final class SocketSources: @unchecked Sendable {
    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private(set) var reading = false
    private(set) var writing = false
    private var cancelled = false
    private var pendingCancellations = 0

    /// The handlers may capture their owner strongly: the cycle ends at `cancel(then:)`.
    init(fd: Int32, queue: DispatchQueue, onReadable: @escaping @Sendable () -> Void,
         onWritable: @escaping @Sendable () -> Void) {
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        readSource.setEventHandler(handler: onReadable)
        writeSource.setEventHandler(handler: onWritable)
    }

    func setReading(_ wanted: Bool) {
        guard wanted != reading, !cancelled else { return }
        reading = wanted
        if wanted { readSource.resume() } else { readSource.suspend() }
    }

    func setWriting(_ wanted: Bool) {
        guard wanted != writing, !cancelled else { return }
        writing = wanted
        if wanted { writeSource.resume() } else { writeSource.suspend() }
    }

    /// Cancels both sources; `done` runs on the queue once neither touches the descriptor.
    func cancel(then done: @escaping @Sendable () -> Void) {
        guard !cancelled else { return }
        cancelled = true
        let sources: [any DispatchSourceProtocol] = [readSource, writeSource]
        // A suspended source never delivers its cancellation: resume it first.
        if !reading { readSource.resume() }
        if !writing { writeSource.resume() }
        pendingCancellations = sources.count
        for source in sources {
            source.setEventHandler(handler: nil)
            source.setCancelHandler { [self] in
                pendingCancellations -= 1
                if pendingCancellations == 0 { done() }
            }
            source.cancel()
        }
    }
}
