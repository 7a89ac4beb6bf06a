import Dispatch
import EventLoops

#if canImport(Glibc)
import Glibc
#endif

/// A connection taken over after a 101 response: raw bytes both ways, owned by one loop queue.
///
/// It exists so that another protocol (WebSocket) can run on the server's sockets and event
/// loops without the HTTP layer: no HTTP decoding and no HTTP deadlines apply any more; the
/// protocol on top does its own liveness (with the loop's ticks, if it asks for them) and its own
/// graceful shutdown (if it offers one). It still counts as one of the server's connections, and
/// what it holds unsent is charged to the server's `MemoryBudget`: once the budget and its
/// reserve are spent, a connection holding more than one read's worth (64 KiB) is closed at
/// its next write, so that clients which never read (stream subscribers, h2c) cannot make the
/// process hold more than the budget, its reserve and one write per connection.
/// All state is confined to `queue`, hence `@unchecked Sendable`.
public final class UpgradedConnection: @unchecked Sendable {
    /// Every callback runs here; call every method only here.
    public let queue: DispatchQueue

    private let socket: Socket
    private let loop: EventLoop
    private let budget: MemoryBudget
    /// What this connection has charged to `budget`.
    private var charged = 0
    /// Tells the HTTP connection (and so the server's registry) that the socket is gone.
    private let ended: () -> Void

    /// Bytes received after the request head, before the taker started.
    private var pending: [UInt8]
    private var output: [UInt8] = []
    private var outputStart = 0
    private var onBytes: ((UnsafeRawBufferPointer) -> Void)?
    private var onClose: (() -> Void)?
    private var onTick: ((DispatchTime) -> Void)?
    private var onShutdown: (() -> Void)?
    private var state: UpgradedConnectionState

    init(
        socket: Socket, loop: EventLoop, budget: MemoryBudget, pending: [UInt8], peerClosed: Bool,
        output: [UInt8], ended: @escaping () -> Void
    ) {
        self.socket = socket
        self.loop = loop
        self.budget = budget
        self.queue = loop.queue
        self.pending = pending
        self.state = UpgradedConnectionState(peerClosed: peerClosed)
        self.output = output
        self.ended = ended
        loop.replace(socket.fd, with: self, readable: false, writable: false)
        flush()
        recharge()
    }

    /// Starts delivering bytes. Bytes that arrived with the upgrade request come first, in
    /// the first `onBytes` call, which runs after `start` returns. Call once.
    ///
    /// - Parameters:
    ///   - onTick: called on each of the loop's ticks (a few times a second), for the protocol's deadlines.
    ///   - onShutdown: called once when the server shuts down, to finish what is in flight and
    ///     then close (the server closes what is left after its shutdown timeout); without it the
    ///     connection is closed at once.
    public func start(
        onBytes: @escaping (UnsafeRawBufferPointer) -> Void, onClose: @escaping () -> Void,
        onTick: ((DispatchTime) -> Void)? = nil, onShutdown: (() -> Void)? = nil
    ) {
        loop.preconditionInEventLoop()
        state.start()
        self.onBytes = onBytes
        self.onClose = onClose
        self.onTick = onTick
        self.onShutdown = onShutdown
        queue.async { [self] in
            loop.preconditionInEventLoop()
            if state.begin() == .finish { return finish() }
            if !pending.isEmpty {
                let bytes = pending
                pending = []
                bytes.withUnsafeBytes { deliver($0) }
            }
            switch state.pendingDelivered() {
            case .none:
                return
            case .close:
                return close()
            case .startReading(let shutdown):
                updateInterest()
                if shutdown { beginShutdown() }
            }
        }
    }

    /// The server is shutting down: the taker's `onShutdown`, or a close at once.
    func beginShutdown() {
        loop.preconditionInEventLoop()
        guard state.shutdown() == .notifyTaker else { return }
        guard let onShutdown else { return close() }
        self.onShutdown = nil
        onShutdown()
    }

    /// Queues `bytes` behind earlier writes; what the socket does not take now is buffered
    /// and sent when the socket is writable again.
    public func write(_ bytes: [UInt8]) {
        loop.preconditionInEventLoop()
        guard state.acceptsWrites else { return }
        output.append(contentsOf: bytes)
        if state.canFlushNow { flush() }
        recharge()
        if budget.isExhausted && charged > MemoryBudget.fullRead { closeNow() }
    }

    /// Charges `budget` with the bytes held now: unsent output and input not yet delivered.
    private func recharge() {
        let held = state.isClosed ? 0 : output.count - outputStart + pending.count
        budget.charge(held - charged)
        charged = held
    }

    /// Bytes written but not yet taken by the socket: the back-pressure signal.
    public var bufferedByteCount: Int {
        loop.preconditionInEventLoop()
        return output.count - outputStart
    }

    /// Closes the socket now, dropping unsent bytes. `onClose` runs exactly once, after the
    /// socket is closed.
    public func close() {
        close(afterFlushing: false)
    }

    /// Closes the socket, by default once every buffered byte is sent (for a closing
    /// handshake's last frame). Reading stops at once.
    public func close(afterFlushing: Bool) {
        loop.preconditionInEventLoop()
        switch state.close(afterFlushing: afterFlushing, bufferedByteCount: bufferedByteCount) {
        case .none: return
        case .closeNow: closeNow()
        case .stopReading: updateInterest()
        }
    }

    // MARK: Internals

    /// Hands `bytes` to the taker; what it writes meanwhile goes out afterwards, in one system
    /// call (a WebSocket server answering a batch of requests writes one frame per answer).
    private func deliver(_ bytes: UnsafeRawBufferPointer) {
        state.deliveryBegan()
        onBytes?(bytes)
        if state.deliveryEnded(hasOutput: outputStart < output.count) { flush() }
    }

    private func readable() {
        loop.withReadBuffer(byteCount: EventLoop.readBufferSize) { buffer in
            while state.isReading {
                let count: Int
                do {
                    guard let read = try socket.read(into: buffer) else { return }
                    count = read
                } catch {
                    return closeNow()
                }
                if count == 0 { return closeNow() }
                deliver(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                if count < buffer.count { return }
            }
        }
    }

    private func flush() {
        while !state.isClosed && outputStart < output.count {
            do {
                let written = try output.withUnsafeBytes {
                    try socket.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...]))
                }
                guard let written else {
                    state.writeWouldBlock()
                    return updateInterest()
                }
                outputStart += written
            } catch {
                return closeNow()
            }
        }
        guard !state.isClosed else { return }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputStart = 0
        recharge()
        switch state.flushed() {
        case .closeNow: closeNow()
        case .updateInterest: updateInterest()
        }
    }

    private func updateInterest() {
        guard let interest = state.interest else { return }
        loop.watch(socket.fd, readable: interest.readable, writable: interest.writable)
    }

    private func closeNow() {
        guard state.closeNow() else { return }
        loop.unregister(socket.fd)
        socket.close()
        output = []
        pending = []
        recharge()
        ended()
        if state.mustFinish { finish() }
    }

    /// Calls `onClose` once and drops the callbacks, which may hold the taker.
    private func finish() {
        let onClose = self.onClose
        self.onClose = nil
        onBytes = nil
        onTick = nil
        onShutdown = nil
        onClose?()
    }
}

extension UpgradedConnection: EventLoopClient {
    /// Called by the connection's loop only.
    public func socketReady(readable: Bool, writable: Bool) {
        loop.preconditionInEventLoop()
        if writable && state.writeBlocked { flush() }
        if readable && state.isReading { self.readable() }
    }

    /// Called by the connection's loop only. No HTTP deadlines apply after an upgrade, only the protocol's.
    public func tick(now: DispatchTime) {
        loop.preconditionInEventLoop()
        if !state.isClosed { onTick?(now) }
    }
}
