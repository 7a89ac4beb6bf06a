import EventLoops
import HTTP1

/// Reading and decoding: one read per readiness event, then as many requests as the bounds and
/// the turn allow. On the connection's loop.
extension HTTPConnection {
    func readable() {
        guard !phase.isClosed else { return }
        let wasIdle = isBetweenRequests
        var failed = false
        var ended = false
        // One read per event: the loop is level-triggered, so what is left is reported again,
        // after the other ready sockets have had their turn.
        let lingering = phase.isLingering
        let room =
            lingering
            ? MemoryBudget.fullRead
            : min(budget.allowance(holding: charged), configuration.maxBufferedInput - (input.count - inputStart))
        if room > 0 {
            loop.withReadBuffer(byteCount: min(room, EventLoop.readBufferSize)) { buffer in
                do {
                    guard let count = try socket.read(into: buffer) else { return }
                    if count == 0 { return ended = true }
                    if !lingering { input.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
                } catch {
                    logger.debug("read failed", metadata: ["error": "\(error)"])
                    failed = true
                }
            }
        }
        if failed { return close() }
        if ended && phase.inputEnded() == .close { return close() }
        if lingering { return }
        // Before the preface check: a preface sent byte by byte has the request read timeout too.
        if wasIdle && !isBetweenRequests { requestStartedAt = .now() }
        if preface == .undecided && takeHTTP2IfPreface() {
            if !phase.isClosed {
                updateInterest()
                updateDeadline()
            }
            return
        }
        processInput()
        if phase.peerClosed && pipeline.isEmpty && !outputPending { return close() }
        updateInterest()
        updateDeadline()
        recharge()
    }

    /// Decodes input left waiting for output to drain or for memory, and reads again if it may.
    func resume() {
        guard !phase.isClosed, !phase.isLingering else { return }
        if turn == .idle && phase.isDecoding && inputStart < input.count && mayDecode { processInput() }
        guard !phase.isClosed else { return }
        updateInterest()
        updateDeadline()
        recharge()
    }

    /// One pass of decoding: requests are decoded, dispatched, and their answers made at once
    /// written, until the input, the bounds or the turn run out.
    func processInput() {
        turn.begin()
        defer { turn.end() }
        let firstSequence = pipeline.nextSequence
        var progressed = true
        // Decoding stops while unsent output is over its bound; when a flush drains it at once
        // (the peer reads fast), go on with the input already here instead of waiting for more.
        while progressed {
            let decodedBefore = pipeline.nextSequence
            var again = true
            while again {
                again = false
                decodeInput(until: firstSequence + Self.requestsPerTurn)
                compactInput()
                let wasAwaiting = pipeline.awaitsUpgrade
                writeReadySlots()
                // An upgrade request answered without an upgrade (synchronously): decode what follows.
                again = wasAwaiting && !pipeline.awaitsUpgrade && !phase.isClosed && inputStart < input.count
            }
            flush()
            progressed =
                pipeline.nextSequence != decodedBefore && phase.isDecoding && !outputPending
                && !pipeline.awaitsUpgrade && inputStart < input.count && mayDecode
            if progressed && pipeline.nextSequence - firstSequence >= Self.requestsPerTurn {
                // A turn's worth decoded: let the loop's other connections have theirs, then go on.
                if turn.yield() {
                    queue.async { [self] in
                        loop.preconditionInEventLoop()
                        turn.continuationRuns()
                        resume()
                    }
                }
                return
            }
        }
    }

    /// Decodes and dispatches requests while the bounds allow, up to sequence number `last` (excluded).
    private func decodeInput(until last: Int) {
        decoding: while phase.isDecoding && !pipeline.awaitsUpgrade && pipeline.nextSequence < last
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
                if pipeline.continueRequested() { output.append(contentsOf: HTTPResponseEncoder.continueResponse) }
            case .request(let request):
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
        let keepAlive = request.head.keepAlive
        if !keepAlive { phase.stopDecoding() }
        let sequence = pipeline.append(
            isHead: request.method == .HEAD, keepAlive: keepAlive, version: request.head.version,
            isUpgradeRequest: request.headers.contains("upgrade"))
        let responder = HTTPResponder(
            { [self] response in complete(sequence, response, takeOver: nil) },
            upgrade: { [self] response, takeOver in complete(sequence, response, takeOver: takeOver) })
        handler.handle(request, responder: responder)
    }

    /// Queues a response the server itself makes (parse error, timeout), then stops.
    func enqueueFinal(_ response: HTTPResponse) {
        phase.stopDecoding()
        pipeline.appendFinal(response)
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

    /// With h2c on, hands a connection that opens with the HTTP/2 preface, raw, to the HTTP/2
    /// side. True while undecided (a prefix of the preface so far) and once handed over.
    private func takeHTTP2IfPreface() -> Bool {
        let verdict = preface.examine(input, atStart: pipeline.nextSequence == 0 && inputStart == 0)
        guard let takeOver = configuration.priorKnowledgeHTTP2, verdict != .http1 else { return false }
        guard verdict == .http2 else {
            if phase.peerClosed { close() }
            return true
        }
        let connection = UpgradedConnection(
            socket: socket, loop: loop, budget: budget, pending: input, peerClosed: phase.peerClosed,
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
}
