import Dispatch
import EventLoops
import HTTP1
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads, decodes, dispatches, writes responses in request order,
/// and enforces the read, idle and write-stall deadlines.
///
/// What it buffers is bounded: it reads at most one buffer per readiness event, and stops
/// reading and decoding while its undecoded input, its unsent output or its pipelined requests
/// pass their limits, or while the server's `MemoryBudget` is spent. A client that takes no
/// bytes for the write timeout is closed.
///
/// All mutable state is confined to `queue`, a serial queue shared with other connections
/// (one per core, like an event loop); every entry point (Dispatch sources, responders, the
/// server) runs there or hops there first. That confinement is why the class may be
/// `@unchecked Sendable`.
final class HTTPConnection: @unchecked Sendable {
    /// Requests decoded in one go before the connection lets the loop's others have a turn.
    private static let requestsPerTurn = 16

    /// A request handed to the handler, waiting for its response and its turn to be written.
    private struct Slot {
        let sequence: Int
        let isHead: Bool
        let keepAlive: Bool
        let version: HTTPVersion
        /// The request asks to switch protocols: nothing after it is decoded until it is answered.
        var isUpgradeRequest = false
        var response: HTTPResponse?
        /// Set when the handler upgrades: who takes the connection once the response is written.
        var takeOver: HTTPResponder.TakeOver?
    }

    private enum DeadlineKind { case idle, requestRead, stalledWrite, linger }

    let id: Int
    private let socket: Socket
    private let queue: DispatchQueue
    private let handler: any HTTPHandler
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let onClose: @Sendable (HTTPConnection) -> Void
    private let budget: MemoryBudget
    /// What this connection has charged to `budget`.
    private var charged = 0

    private let loop: EventLoop
    private var reading = false
    private var writing = false

    private var decoder: HTTPRequestDecoder
    private var input: [UInt8] = []
    private var inputStart = 0
    private var output: [UInt8] = []
    private var outputStart = 0
    /// Where each answer encoded into `output` and not yet wholly sent ends: with `slots`, the
    /// requests the client has not had its answer to.
    private var answerEnds: [Int] = []

    private var slots: [Slot] = []
    private var nextSequence = 0
    private var continueOwed = false
    private var processing = false
    /// A next turn of decoding is queued behind the loop's other work; nothing else starts one.
    private var turnPending = false
    /// An upgrade request waits for its answer; later bytes may not be HTTP.
    private var awaitingUpgrade = false
    /// Set once the connection is taken over; it then owns the socket.
    private var upgraded: UpgradedConnection?
    /// The first bytes are not the HTTP/2 preface (or h2c is off): this connection speaks HTTP/1.
    private var prefaceRuledOut = false

    private var phase = HTTPConnectionPhase()
    private var peerClosed = false

    private var requestStartedAt: DispatchTime?
    private var idleSince = DispatchTime.now()
    private var lastWriteProgress = DispatchTime.now()
    private var deadline: (at: DispatchTime, kind: DeadlineKind)?

    /// - Parameter queue: the serial queue that owns this connection (shared with others).
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
        var logger = logger
        logger[metadataKey: "connection"] = "\(id)"
        self.logger = logger
        self.onClose = onClose
        self.budget = budget
    }

    /// Starts reading. Called once, by the server.
    func start() {
        queue.async { [self] in
            reading = true
            loop.register(socket.fd, self, readable: true, writable: false)
            updateDeadline()
        }
    }

    /// Finishes what is in flight, then closes; idle connections close at once.
    /// A connection taken over after an upgrade shuts down as its protocol does (h2c: GOAWAY,
    /// then the open streams finish), or is closed at once.
    func beginShutdown() {
        queue.async { [self] in
            if let upgraded { return upgraded.beginShutdown() }
            phase.shutdown()
            if slots.isEmpty && isBetweenRequests { close() }
        }
    }

    /// Closes now, whatever is in flight.
    func forceClose() {
        queue.async { [self] in
            if let upgraded { return upgraded.close() }
            close()
        }
    }

    private var isBetweenRequests: Bool { decoder.isIdle && inputStart == input.count }

    private var unsentOutput: Int { output.count - outputStart }

    /// Requests read whose answers the client has not taken yet: being handled, waiting their
    /// turn, or in unsent output. A client that does not read gets this many answers made, no more.
    private var unanswered: Int { slots.count + answerEnds.count }

    /// Another request may be decoded now: its answers are under their bounds and memory is left
    /// (a connection holding nothing may use the reserve, see `MemoryBudget`).
    private var mayDecode: Bool {
        unanswered < configuration.maxPipelinedRequests && unsentOutput < configuration.maxBufferedOutput
            && budget.allowance(holding: charged) > 0
    }

    /// Charges `budget` with what the buffers hold now: bytes received, answers made and not yet
    /// sent (those waiting for an earlier answer too), and the body being read. Counted in bytes
    /// held, not capacity: pages a buffer reserved and never touched take no memory.
    private func recharge() {
        var held = 0
        if !phase.isClosed {
            held = input.count + output.count + decoder.bufferedBytes
            for slot in slots { held += slot.response?.body.count ?? 0 }
        }
        budget.charge(held - charged)
        charged = held
    }

    // MARK: Reading

    private func readable() {
        guard !phase.isClosed else { return }
        let wasIdle = isBetweenRequests
        var failed = false
        // One read per event: the loop is level-triggered, so what is left is reported again,
        // after the other ready sockets have had their turn.
        let lingering = phase.isLingering
        let room =
            lingering
            ? MemoryBudget.fullRead
            : min(budget.allowance(holding: charged), configuration.maxBufferedInput - (input.count - inputStart))
        if room > 0 {
            withUnsafeTemporaryAllocation(byteCount: room, alignment: 16) { buffer in
                do {
                    guard let count = try socket.read(into: buffer) else { return }
                    if count == 0 { return peerClosed = true }
                    if !lingering { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
                } catch {
                    logger.debug("read failed", metadata: ["error": "\(error)"])
                    failed = true
                }
            }
        }
        if failed || (lingering && peerClosed) { return close() }
        if lingering { return }
        // Before the preface check: a preface sent byte by byte has the request read timeout too.
        if wasIdle && !isBetweenRequests { requestStartedAt = .now() }
        if !prefaceRuledOut && takeHTTP2IfPreface() {
            if !phase.isClosed {
                updateReading()
                updateDeadline()
            }
            return
        }
        processInput()
        if peerClosed && slots.isEmpty && !writing { return close() }
        updateReading()
        updateDeadline()
        recharge()
    }

    /// Decodes input left waiting for output to drain or for memory, and reads again if it may.
    private func resume() {
        guard !phase.isClosed, !phase.isLingering else { return }
        if !processing && !turnPending && phase.isDecoding && inputStart < input.count && mayDecode { processInput() }
        guard !phase.isClosed else { return }
        updateReading()
        updateDeadline()
        recharge()
    }

    private func processInput() {
        processing = true
        defer { processing = false }
        let firstSequence = nextSequence
        var progressed = true
        // Decoding stops while unsent output is over its bound; when a flush drains it at once
        // (the peer reads fast), go on with the input already here instead of waiting for more.
        while progressed {
            let decodedBefore = nextSequence
            var again = true
            while again {
                again = false
                decodeInput(until: firstSequence + Self.requestsPerTurn)
                compactInput()
                let wasAwaiting = awaitingUpgrade
                writeReadySlots()
                // An upgrade request answered without an upgrade (synchronously): decode what follows.
                again = wasAwaiting && !awaitingUpgrade && !phase.isClosed && inputStart < input.count
            }
            flush()
            progressed =
                nextSequence != decodedBefore && phase.isDecoding && !writing && !awaitingUpgrade
                && inputStart < input.count && mayDecode
            if progressed && nextSequence - firstSequence >= Self.requestsPerTurn {
                // A turn's worth decoded: let the loop's other connections have theirs, then go on.
                turnPending = true
                queue.async { [self] in
                    turnPending = false
                    resume()
                }
                return
            }
        }
    }

    /// Decodes and dispatches requests while the bounds allow, up to sequence number `last` (excluded).
    private func decodeInput(until last: Int) {
        decoding: while phase.isDecoding && !awaitingUpgrade && nextSequence < last
            && inputStart < input.count && mayDecode
        {
            let (consumed, event) = input.withUnsafeBufferPointer {
                decoder.decode(UnsafeBufferPointer(rebasing: $0[inputStart...]))
            }
            inputStart += consumed
            switch event {
            case .needMoreData:
                if consumed == 0 { break decoding }
            case .sendContinue:
                if slots.isEmpty {
                    output.append(contentsOf: HTTPResponseEncoder.continueResponse)
                } else {
                    continueOwed = true
                }
            case .request(let request):
                continueOwed = false
                requestStartedAt = inputStart < input.count ? .now() : nil
                dispatch(request)
                writeReadySlots()  // an answer made at once counts against the output bound before the next request
            case .failure(let error):
                logger.debug(
                    "rejected request", metadata: ["status": "\(error.status.code)", "reason": "\(error.message)"])
                enqueueFinal(.error(error))
            }
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        let sequence = nextSequence
        nextSequence += 1
        let keepAlive = request.head.keepAlive
        if !keepAlive { phase.stopDecoding() }
        let isUpgradeRequest = request.headers.contains("upgrade")
        if isUpgradeRequest { awaitingUpgrade = true }
        slots.append(
            Slot(
                sequence: sequence, isHead: request.method == .HEAD, keepAlive: keepAlive,
                version: request.head.version, isUpgradeRequest: isUpgradeRequest))
        let responder = HTTPResponder(
            { [self] response in complete(sequence, response, takeOver: nil) },
            upgrade: { [self] response, takeOver in complete(sequence, response, takeOver: takeOver) })
        handler.handle(request, responder: responder)
    }

    /// Queues a response the server itself makes (parse error, timeout), then stops.
    private func enqueueFinal(_ response: HTTPResponse) {
        phase.stopDecoding()
        let sequence = nextSequence
        nextSequence += 1
        slots.append(Slot(sequence: sequence, isHead: false, keepAlive: false, version: .http1_1, response: response))
    }

    private func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 4096)
            inputStart = 0
        } else if inputStart > 16 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    // MARK: Responding

    private func complete(_ sequence: Int, _ response: HTTPResponse, takeOver: HTTPResponder.TakeOver?) {
        if loop.inEventLoop {
            completeOnQueue(sequence, response, takeOver)
        } else if InlineResponses.areAllowed && !loop.isServing {
            queue.sync { completeOnQueue(sequence, response, takeOver) }
        } else {
            queue.async { [self] in completeOnQueue(sequence, response, takeOver) }
        }
    }

    private func completeOnQueue(_ sequence: Int, _ response: HTTPResponse, _ takeOver: HTTPResponder.TakeOver?) {
        loop.preconditionInEventLoop()
        guard !phase.isClosed, let first = slots.first, sequence >= first.sequence,
            sequence - first.sequence < slots.count,
            slots[sequence - first.sequence].response == nil
        else { return }  // late (connection gone) or a second answer to the same request
        slots[sequence - first.sequence].response = response
        slots[sequence - first.sequence].takeOver = takeOver
        guard !processing else { return }  // processInput writes and flushes when it unwinds
        writeReadySlots()
        flush()
        if phase.isDecoding {
            processInput()  // also resumes decoding after an upgrade request answered without upgrading
            updateReading()
            updateDeadline()
        }
        recharge()
    }

    private func writeReadySlots() {
        while let slot = slots.first, let response = slot.response {
            slots.removeFirst()
            if slot.isUpgradeRequest { awaitingUpgrade = false }
            if let takeOver = slot.takeOver {
                if slots.isEmpty && decoder.isIdle && !phase.isLingering { return handOver(response, to: takeOver) }
                logger.error("upgrade refused: not the last request in flight")
                HTTPResponseEncoder.encode(
                    .error(ServerError.internalError), keepAlive: false,
                    date: HTTPDate.shared.now, into: &output)
                phase.stopDecoding()
                slots.removeAll()
                continueOwed = false
                break
            }
            let last = slots.isEmpty && isBetweenRequests
            let keepAlive = phase.keepsAlive(requested: slot.keepAlive, last: last)
            HTTPResponseEncoder.encode(
                response, bodyOmitted: slot.isHead, keepAlive: keepAlive,
                requestVersion: slot.version, date: HTTPDate.shared.now, into: &output)
            answerEnds.append(output.count)
            if !keepAlive {
                phase.stopDecoding()
                slots.removeAll()
                continueOwed = false
            }
        }
        if slots.isEmpty && continueOwed {
            output.append(contentsOf: HTTPResponseEncoder.continueResponse)
            continueOwed = false
        }
    }

    /// Writes the upgrade response's head, then gives the socket, the bytes read after the
    /// request and the unsent output to an `UpgradedConnection`; this connection goes inert.
    private func handOver(_ response: HTTPResponse, to takeOver: @escaping HTTPResponder.TakeOver) {
        HTTPResponseEncoder.encodeUpgradeHead(response, date: HTTPDate.shared.now, into: &output)
        let connection = UpgradedConnection(
            socket: socket, loop: loop, pending: Array(input[inputStart...]), peerClosed: peerClosed,
            output: Array(output[outputStart...]), ended: { [self] in onClose(self) })
        phase.handOver()  // the socket now belongs to `connection`
        upgraded = connection
        continueOwed = false
        input = []
        inputStart = 0
        output = []
        outputStart = 0
        deadline = nil
        recharge()
        queue.async { takeOver(connection) }
    }

    private static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// With h2c on, hands a connection that opens with the HTTP/2 preface, raw, to the HTTP/2
    /// side. True while undecided (a prefix of the preface so far) and once handed over.
    private func takeHTTP2IfPreface() -> Bool {
        guard let takeOver = configuration.priorKnowledgeHTTP2, nextSequence == 0, inputStart == 0 else {
            prefaceRuledOut = true
            return false
        }
        let count = min(input.count, Self.http2Preface.count)
        guard input[..<count].elementsEqual(Self.http2Preface[..<count]) else {
            prefaceRuledOut = true
            return false
        }
        if count < Self.http2Preface.count {
            if peerClosed { close() }
            return true
        }
        let connection = UpgradedConnection(
            socket: socket, loop: loop, pending: input, peerClosed: peerClosed,
            output: [], ended: { [self] in onClose(self) })
        phase.handOver()  // the socket now belongs to `connection`
        upgraded = connection
        input = []
        output = []
        deadline = nil
        recharge()
        let (handler, configuration) = (self.handler, self.configuration)
        queue.async { takeOver(connection, handler, configuration) }
        return true
    }

    private func flush() {
        guard !phase.isClosed else { return }
        while outputStart < output.count {
            do {
                let written = try output.withUnsafeBytes {
                    try socket.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...]))
                }
                guard let written else {
                    setWriting(true)
                    updateReading()
                    updateDeadline()
                    return
                }
                outputStart += written
                answerEnds.removeAll { $0 <= outputStart }
                lastWriteProgress = .now()
            } catch {
                logger.debug("write failed", metadata: ["error": "\(error)"])
                return close()
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 16 * 1024)
        answerEnds.removeAll()
        outputStart = 0
        setWriting(false)
        if slots.isEmpty {
            idleSince = .now()
            switch phase.outputDrained(isBetweenRequests: isBetweenRequests, peerClosed: peerClosed) {
            case .linger: return linger()
            case .close: return close()
            case .keepServing: break
            }
        }
        updateReading()
        updateDeadline()
    }

    /// Half-closes and drains what the client still sends, so that closing with unread
    /// input does not reset the connection and destroy the response just written.
    private func linger() {
        phase.linger()
        socket.shutdownWrite()
        input.removeAll()
        inputStart = 0
        if peerClosed { return close() }
        deadline = (.now() + .seconds(2), .linger)
        updateReading()
    }

    // MARK: Sources and deadlines

    private func updateReading() {
        guard !phase.isClosed else { return }
        let wanted =
            !peerClosed
            && (phase.isLingering
                || (phase.isDecoding && !writing && !awaitingUpgrade
                    && unanswered < configuration.maxPipelinedRequests
                    && input.count - inputStart < configuration.maxBufferedInput
                    && budget.allowance(holding: charged) > 0))
        guard wanted != reading else { return }
        reading = wanted
        loop.watch(socket.fd, readable: reading, writable: writing)
    }

    private func setWriting(_ wanted: Bool) {
        guard wanted != writing, !phase.isClosed else { return }
        writing = wanted
        loop.watch(socket.fd, readable: reading, writable: writing)
    }

    private func updateDeadline() {
        guard !phase.isClosed, !phase.isLingering else { return }
        if writing {
            deadline = (lastWriteProgress + configuration.writeTimeout.dispatch, .stalledWrite)
        } else if !slots.isEmpty {
            deadline = nil  // the handler is working; its own deadline applies
        } else if isBetweenRequests {
            deadline = (idleSince + configuration.idleTimeout.dispatch, .idle)
        } else {
            deadline = ((requestStartedAt ?? .now()) + configuration.requestReadTimeout.dispatch, .requestRead)
        }
    }

    private func deadlineReached(now: DispatchTime) {
        guard !phase.isClosed, let deadline else { return }
        var due = now >= deadline.at
        if !due && budget.isUnderPressure {
            // Memory is short: a client that does not take its answers, or sends its request
            // slowly, is cut off after the pressure timeout, so that one that behaves gets in.
            let pressure = configuration.pressureTimeout.dispatch
            switch deadline.kind {
            case .stalledWrite: due = now >= lastWriteProgress + pressure
            case .requestRead: due = now >= (requestStartedAt ?? now) + pressure
            case .idle, .linger: break
            }
        }
        guard due else { return }
        switch deadline.kind {
        case .idle, .stalledWrite, .linger:
            close()
        case .requestRead:
            logger.debug("request read timeout")
            self.deadline = nil
            enqueueFinal(.error(ServerError.requestTimeout))
            writeReadySlots()
            flush()
        }
    }

    /// Stops watching the socket, closes it and leaves the server's registry.
    private func close() {
        guard phase.close() else { return }
        loop.unregister(socket.fd)
        socket.close()
        slots.removeAll()
        input = []
        output = []
        recharge()
        onClose(self)
    }
}

extension HTTPConnection: EventLoopClient {
    func socketReady(readable: Bool, writable: Bool) {
        loop.preconditionInEventLoop()
        if writable && writing {
            flush()
            resume()
        }
        if readable && reading && !phase.isClosed { self.readable() }
    }

    func tick(now: DispatchTime) {
        loop.preconditionInEventLoop()
        deadlineReached(now: now)
        if !reading { resume() }  // paused for memory: look again
    }
}
