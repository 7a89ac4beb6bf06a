import Dispatch
import EventLoops
import OpenSSL

/// A connected client byte stream, plain TCP or TLS, on one event loop: what the upstream
/// WebSocket and REST clients read from and write to.
///
/// All state is confined to the queue of the `loop` given to `connect`: every method checks
/// that it is called there, and every callback (`completion`, `onBytes`, `onClose`, `onDrain`)
/// runs there. That confinement is why the class may be `@unchecked Sendable`.
///
/// Writes made during one batch of the loop's work go out together when the batch ends, in
/// one system call; the rest is buffered in order (`bufferedByteCount` is the back-pressure
/// signal). Until `close()` (or a failure) the stream stays registered with its loop, which
/// keeps it alive; `onClose` then runs exactly once, after the descriptor is closed.
public final class ClientStream: @unchecked Sendable {
    public let loop: EventLoop
    /// The loop's queue.
    public var queue: DispatchQueue { loop.queue }
    private let socket: Socket
    private var session: TLSSession?
    /// What the loop watches the socket for.
    private var watched = (readable: false, writable: false)

    /// Runs on the queue each time buffered output has been written out completely.
    public var onDrain: (() -> Void)? {
        get {
            dispatchPrecondition(condition: .onQueue(queue))
            return drainHandler
        }
        set {
            dispatchPrecondition(condition: .onQueue(queue))
            drainHandler = newValue
        }
    }
    private var drainHandler: (() -> Void)?

    private var phase = Phase.connected
    private var closeWhenFlushed = false
    private var output: [UInt8] = []
    private var outputStart = 0
    /// The write path waits for the socket to become writable.
    private var writeBlocked = false
    /// TLS: a write needs the peer's bytes first (a renegotiation or key update).
    private var writeWantsRead = false
    /// TLS: a read needs to send first.
    private var readWantsWrite = false
    /// A flush waits for the end of the loop's current batch (see `write`).
    private var flushScheduled = false

    /// Where the stream is in its life; the callbacks live only while they can be called.
    private enum Phase {
        /// Connected; nothing is read before `start`.
        case connected
        /// Received bytes go to `onBytes`; `onClose` is told once when the stream ends.
        case started(onBytes: (UnsafeRawBufferPointer) -> Void, onClose: (TransportError?) -> Void)
        /// The descriptor is closed.
        case closed
    }

    private var isStarted: Bool {
        if case .started = phase { true } else { false }
    }

    private var isClosed: Bool {
        if case .closed = phase { true } else { false }
    }

    private static let readBufferSize = 64 * 1024
    private static let readsPerEvent = 16

    /// Takes over `socket`, registered with `loop` by the connector. On the loop's queue.
    init(socket: Socket, session: TLSSession?, loop: EventLoop) {
        loop.preconditionInEventLoop()
        self.socket = socket
        self.session = session
        self.loop = loop
        loop.replace(socket.fd, with: self, readable: false, writable: false)
    }

    /// True when the stream runs TLS.
    public var isSecure: Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        return session != nil
    }

    /// The ALPN protocol the TLS server chose, if any.
    public var negotiatedALPN: String? {
        dispatchPrecondition(condition: .onQueue(queue))
        return session?.negotiatedALPN
    }

    /// Bytes accepted by `write` and not yet taken by the socket.
    public var bufferedByteCount: Int {
        dispatchPrecondition(condition: .onQueue(queue))
        return output.count - outputStart
    }

    /// Starts delivering received bytes. `onBytes`' buffer is valid only during the call.
    /// `onClose` gets `nil` after `close()`, otherwise why the stream ended.
    public func start(
        onBytes: @escaping (UnsafeRawBufferPointer) -> Void,
        onClose: @escaping (TransportError?) -> Void
    ) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard case .connected = phase else { return }
        phase = .started(onBytes: onBytes, onClose: onClose)
        updateSources()
        // TLS may already hold bytes that came with the handshake; the socket will not signal them.
        if session != nil {
            loop.afterBatch { [self] in
                loop.preconditionInEventLoop()
                readable()
            }
        }
    }

    /// Sends `bytes` after everything written before; buffers what the socket does not take.
    public func write(_ bytes: [UInt8]) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !isClosed, !closeWhenFlushed, !bytes.isEmpty else { return }
        output.append(contentsOf: bytes)
        // Writes made in the same batch of the loop's work go out with this one, in one system
        // call: the shared upstream WebSocket carries one small frame per request.
        guard !writeBlocked, !writeWantsRead, !flushScheduled else { return }
        flushScheduled = true
        loop.afterBatch { [self] in
            loop.preconditionInEventLoop()
            flushScheduledWrites()
        }
    }

    private func flushScheduledWrites() {
        guard flushScheduled else { return }
        flushScheduled = false
        if !isClosed && !writeBlocked && !writeWantsRead { flush() }
    }

    /// Closes the stream: at once, dropping unsent bytes, or with `afterFlushing` once the
    /// buffered bytes are out. Sends TLS close_notify if the socket takes it.
    public func close(afterFlushing: Bool = false) {
        dispatchPrecondition(condition: .onQueue(queue))
        flushScheduledWrites()  // written before the close: tried now, as if written at once
        if afterFlushing && outputStart < output.count {
            closeWhenFlushed = true
        } else {
            close(nil)
        }
    }

    // MARK: Reading

    private func readable() {
        guard !isClosed else { return }
        if writeWantsRead {
            writeWantsRead = false
            flush()
        }
        guard isStarted else { return updateSources() }
        let exhausted = loop.withReadBuffer(byteCount: Self.readBufferSize) { buffer in
            for _ in 0..<Self.readsPerEvent {
                guard case .started(let onBytes, _) = phase, let count = readOnce(into: buffer) else { return false }
                onBytes(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                // A short read of plain TCP drained the socket: the loop is level-triggered and
                // reports what comes next, so asking again would only fail with EAGAIN. TLS may
                // hold decrypted bytes the socket does not signal, so it reads until it wants more.
                if session == nil && count < buffer.count { return false }
            }
            return true
        }
        // Yield to other work on the queue; TLS may hold bytes the socket will not signal.
        if exhausted && !isClosed {
            queue.async { [self] in
                loop.preconditionInEventLoop()
                readable()
            }
        }
        updateSources()
    }

    /// One read: a byte count, or `nil` when there is nothing more for now (or it closed).
    private func readOnce(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if let session {
            switch session.read(into: buffer) {
            case .bytes(let count): return count
            case .wantRead: return nil
            case .wantWrite:
                readWantsWrite = true
                return nil
            case .closed:
                close(.closedByPeer)
                return nil
            case .failed(let error):
                close(.tls(error))
                return nil
            }
        }
        do {
            guard let count = try socket.read(into: buffer) else { return nil }
            if count == 0 { close(.closedByPeer) }
            return count == 0 ? nil : count
        } catch {
            close(error.transportError)
            return nil
        }
    }

    // MARK: Writing

    private func writable() {
        guard !isClosed else { return }
        if readWantsWrite {
            readWantsWrite = false
            readable()
        }
        if writeBlocked && !isClosed {
            writeBlocked = false
            flush()
        }
        updateSources()
    }

    private func flush() {
        let hadOutput = outputStart < output.count
        while outputStart < output.count && !isClosed {
            guard let written = writeOnce() else { break }
            outputStart += written
        }
        guard !isClosed else { return }
        if outputStart == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
            outputStart = 0
            if closeWhenFlushed { return close(nil) }
            if hadOutput { drainHandler?() }
        } else if outputStart >= 64 * 1024 {
            output.removeFirst(outputStart)  // TLS tolerates the move (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER)
            outputStart = 0
        }
        updateSources()
    }

    /// One write from the front of `output`: a byte count, or `nil` when blocked (or closed).
    private func writeOnce() -> Int? {
        if let session {
            let result = output.withUnsafeBytes { session.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...])) }
            switch result {
            case .written(let count): return count
            case .wantWrite: writeBlocked = true
            case .wantRead: writeWantsRead = true
            case .failed(let error): close(.tls(error))
            }
            return nil
        }
        let result = output.withUnsafeBytes { raw in
            Result { () throws(SocketError) in try socket.write(UnsafeRawBufferPointer(rebasing: raw[outputStart...])) }
        }
        switch result {
        case .success(let written):
            if written == nil { writeBlocked = true }
            return written
        case .failure(let error):
            close(error.transportError)
            return nil
        }
    }

    // MARK: Watching and closing

    private func updateSources() {
        guard !isClosed else { return }
        let wanted = (readable: isStarted || writeWantsRead, writable: writeBlocked || readWantsWrite)
        guard wanted != watched else { return }
        watched = wanted
        loop.watch(socket.fd, readable: wanted.readable, writable: wanted.writable)
    }

    private func close(_ error: TransportError?) {
        let previous = phase
        guard !isClosed else { return }
        phase = .closed
        if error == nil || error == .closedByPeer { session?.shutdown() }
        output = []
        outputStart = 0
        drainHandler = nil
        loop.unregister(socket.fd)
        session = nil
        socket.close()
        // After the caller's work: a close found inside `write` does not call back into it.
        if case .started(_, let onClose) = previous { loop.afterBatch { onClose(error) } }
    }
}

extension ClientStream: EventLoopClient {
    /// Called by the stream's loop only.
    public func socketReady(readable: Bool, writable: Bool) {
        loop.preconditionInEventLoop()
        if writable { self.writable() }
        if readable { self.readable() }
    }
}
