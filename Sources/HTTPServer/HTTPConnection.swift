import Dispatch
import EventLoops
import HTTP1
import Logging

/// One client connection: reads, decodes, dispatches, writes responses in request order,
/// and enforces the read, idle and write-stall deadlines.
///
/// What it buffers is bounded: it reads at most one buffer per readiness event, and stops
/// reading and decoding while its undecoded input, its unsent output or its pipelined requests
/// pass their limits, or while the server's `MemoryBudget` is spent. A client that takes no
/// bytes for the write timeout is closed.
///
/// Its state is a few pure values: the `phase` of its life, the `pipeline` of requests owed an
/// answer, the decoding `turn`, the `preface` detection and the running `deadline`; the
/// readiness it asks of the loop is derived from them (`wantedInterest`). The class reads,
/// writes and carries out what those values decide.
///
/// All mutable state is confined to `queue`, a serial queue shared with other connections
/// (one per core, like an event loop); every entry point (loop events, responders, the
/// server, its own continuations) runs there or hops there first and checks it with
/// `loop.preconditionInEventLoop()`. That confinement is why the class may be `@unchecked Sendable`.
final class HTTPConnection: @unchecked Sendable {
    /// Requests decoded in one go before the connection lets the loop's others have a turn.
    static let requestsPerTurn = 16

    let id: Int
    let socket: Socket
    let queue: DispatchQueue
    let loop: EventLoop
    let handler: any HTTPHandler
    let configuration: ServerConfiguration
    let logger: Logger
    let onClose: @Sendable (HTTPConnection) -> Void
    let budget: MemoryBudget
    /// What this connection has charged to `budget`.
    var charged = 0

    var phase = HTTPConnectionPhase()
    var pipeline = HTTPPipeline()
    var turn = DecodeTurn.idle
    var preface: HTTP2PrefaceDetection
    /// The readiness the loop was last told to report.
    var interest = SocketInterest.none

    var decoder: HTTPRequestDecoder
    var input: [UInt8] = []
    var inputStart = 0
    var output: [UInt8] = []
    var outputStart = 0
    /// Where each answer encoded into `output` and not yet wholly sent ends: with `pipeline`, the
    /// requests the client has not had its answer to.
    var answerEnds: [Int] = []
    /// Set once the connection is taken over; it then owns the socket.
    var upgraded: UpgradedConnection?

    var requestStartedAt: DispatchTime?
    var idleSince = DispatchTime.now()
    var lastWriteProgress = DispatchTime.now()
    var deadline: HTTPConnectionDeadline?

    /// - Parameter loop: the loop that owns this connection (shared with others).
    init(
        id: Int, socket: Socket, loop: EventLoop, handler: any HTTPHandler, configuration: ServerConfiguration,
        budget: MemoryBudget, logger: Logger, onClose: @escaping @Sendable (HTTPConnection) -> Void
    ) {
        self.id = id
        self.socket = socket
        self.loop = loop
        self.queue = loop.queue
        self.handler = handler
        self.configuration = configuration
        self.decoder = HTTPRequestDecoder(limits: configuration.limits)
        self.preface = HTTP2PrefaceDetection(enabled: configuration.priorKnowledgeHTTP2 != nil)
        var logger = logger
        logger[metadataKey: "connection"] = "\(id)"
        self.logger = logger
        self.onClose = onClose
        self.budget = budget
    }

    /// Starts reading. Called once, by the server.
    func start() {
        queue.async { [self] in
            loop.preconditionInEventLoop()
            interest = SocketInterest(readable: true, writable: false)
            loop.register(socket.fd, self, readable: true, writable: false)
            updateDeadline()
        }
    }

    /// Finishes what is in flight, then closes; idle connections close at once.
    /// A connection taken over after an upgrade shuts down as its protocol does (h2c: GOAWAY,
    /// then the open streams finish), or is closed at once.
    func beginShutdown() {
        queue.async { [self] in
            loop.preconditionInEventLoop()
            if let upgraded { return upgraded.beginShutdown() }
            phase.shutdown()
            if pipeline.isEmpty && isBetweenRequests { close() }
        }
    }

    /// Closes now, whatever is in flight.
    func forceClose() {
        queue.async { [self] in
            loop.preconditionInEventLoop()
            if let upgraded { return upgraded.close() }
            close()
        }
    }

    var isBetweenRequests: Bool { decoder.isIdle && inputStart == input.count }

    var unsentOutput: Int { output.count - outputStart }

    /// Output waits for the socket: after a flush, the socket refused it.
    var outputPending: Bool { outputStart < output.count }

    /// Requests read whose answers the client has not taken yet: being handled, waiting their
    /// turn, or in unsent output. A client that does not read gets this many answers made, no more.
    var unanswered: Int { pipeline.count + answerEnds.count }

    /// Another request may be decoded now: its answers are under their bounds and memory is left
    /// (a connection holding nothing may use the reserve, see `MemoryBudget`).
    var mayDecode: Bool {
        unanswered < configuration.maxPipelinedRequests && unsentOutput < configuration.maxBufferedOutput
            && budget.allowance(holding: charged) > 0
    }

    /// Charges `budget` with what the buffers hold now: bytes received, answers made and not yet
    /// sent (those waiting for an earlier answer too), and the body being read. Counted in bytes
    /// held, not capacity: pages a buffer reserved and never touched take no memory.
    func recharge() {
        var held = 0
        if !phase.isClosed {
            held = input.count + output.count + decoder.bufferedBytes + pipeline.heldBodyBytes
        }
        budget.charge(held - charged)
        charged = held
    }

    /// The readiness the connection needs now: writable while output waits for the socket;
    /// readable as the phase says, given the bounds on what it holds and on what it owes.
    var wantedInterest: SocketInterest {
        let outputPending = outputPending
        let readable = phase.readsInput(
            mayTakeMore: !outputPending && !pipeline.awaitsUpgrade && unanswered < configuration.maxPipelinedRequests
                && input.count - inputStart < configuration.maxBufferedInput && budget.allowance(holding: charged) > 0)
        return SocketInterest(readable: readable, writable: outputPending)
    }

    /// Tells the loop the wanted readiness if it differs from what it was told.
    func updateInterest() {
        guard !phase.isClosed else { return }
        let wanted = wantedInterest
        guard wanted != interest else { return }
        interest = wanted
        loop.watch(socket.fd, readable: wanted.readable, writable: wanted.writable)
    }

    /// Stops watching the socket, closes it and leaves the server's registry.
    func close() {
        guard phase.close() else { return }
        loop.unregister(socket.fd)
        socket.close()
        pipeline.removeAll()
        input = []
        output = []
        recharge()
        onClose(self)
    }
}

extension HTTPConnection: EventLoopClient {
    func socketReady(readable: Bool, writable: Bool) {
        loop.preconditionInEventLoop()
        if writable && interest.writable {
            flush()
            resume()
        }
        if readable && interest.readable && !phase.isClosed { self.readable() }
    }

    func tick(now: DispatchTime) {
        loop.preconditionInEventLoop()
        deadlineReached(now: now)
        if !interest.readable { resume() }  // paused for memory: look again
    }
}
