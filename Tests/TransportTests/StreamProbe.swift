import Dispatch
import EventLoops
import OpenSSL
import Transport

/// Drives a `ClientStream` on its queue for a test: connects, collects what arrives, and
/// lets the test wait for a condition with a deadline.
final class StreamProbe: @unchecked Sendable {
    /// What the stream has seen so far.
    struct Snapshot: Sendable {
        var received: [UInt8] = []
        var closeCount = 0
        var closeError: TransportError?
        var drainCount = 0
        var maxBuffered = 0
        var closed: Bool { closeCount > 0 }
        var text: String { String(decoding: received, as: UTF8.self) }
    }

    let stream: ClientStream
    let queue: DispatchQueue
    private var state = Snapshot()
    private var waiter:
        (id: Int, done: @Sendable (Snapshot) -> Bool, continuation: CheckedContinuation<Snapshot, Never>)?
    private var nextWaiter = 0

    /// Connects and wraps the stream, or returns the connect error.
    static func connect(
        host: String, port: UInt16, tls: TLSClientContext? = nil, serverName: String? = nil,
        timeout: Duration = .seconds(10)
    ) async -> Result<StreamProbe, TransportError> {
        let loop = EventLoopGroup.shared.loops[0]
        let queue = loop.queue
        let result = await withCheckedContinuation { continuation in
            ClientStream.connect(
                host: host, port: port, tls: tls, serverName: serverName, loop: loop,
                timeout: timeout
            ) { continuation.resume(returning: $0) }
        }
        return result.map { StreamProbe(stream: $0, queue: queue) }
    }

    private init(stream: ClientStream, queue: DispatchQueue) {
        self.stream = stream
        self.queue = queue
        queue.async { [self] in
            stream.onDrain = { [self] in
                state.drainCount += 1
                check()
            }
            stream.start(
                onBytes: { [self] bytes in
                    state.received.append(contentsOf: bytes)
                    check()
                },
                onClose: { [self] error in
                    state.closeCount += 1
                    state.closeError = error
                    check()
                })
        }
    }

    func write(_ bytes: [UInt8]) {
        queue.async { [self] in
            stream.write(bytes)
            state.maxBuffered = max(state.maxBuffered, stream.bufferedByteCount)
        }
    }

    func close(afterFlushing: Bool = false) {
        queue.async { [self] in stream.close(afterFlushing: afterFlushing) }
    }

    /// Runs `body` on the stream's queue.
    func onQueue<T: Sendable>(_ body: @escaping @Sendable (ClientStream) -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: body(stream)) }
        }
    }

    /// Waits until `done` holds (or `timeout` passes) and returns the state then.
    func wait(timeout: Duration = .seconds(20), until done: @escaping @Sendable (Snapshot) -> Bool) async -> Snapshot {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                if done(state) { return continuation.resume(returning: state) }
                nextWaiter += 1
                let id = nextWaiter
                waiter = (id, done, continuation)
                let (seconds, attoseconds) = timeout.components
                queue.asyncAfter(
                    deadline: .now() + .milliseconds(Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
                ) { [self] in
                    guard let waiter, waiter.id == id else { return }
                    self.waiter = nil
                    waiter.continuation.resume(returning: state)
                }
            }
        }
    }

    private func check() {
        guard let waiter, waiter.done(state) else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: state)
    }
}
