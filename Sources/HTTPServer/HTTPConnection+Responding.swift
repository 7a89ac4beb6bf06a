import Dispatch
import EventLoops
import HTTP1

/// Responding: answers are recorded as they come, encoded in request order and flushed; the
/// last one may hand the socket over or end the connection. On the connection's loop.
extension HTTPConnection {
    func complete(_ sequence: Int, _ response: HTTPResponse, takeOver: HTTPResponder.TakeOver?) {
        if loop.inEventLoop {
            completeOnQueue(sequence, response, takeOver)
        } else if InlineResponses.areAllowed && !loop.isServing {
            queue.sync { completeOnQueue(sequence, response, takeOver) }
        } else {
            // From another loop, answers for this one go in one hand-off per batch of that loop.
            loop.execute { [self] in completeOnQueue(sequence, response, takeOver) }
        }
    }

    private func completeOnQueue(_ sequence: Int, _ response: HTTPResponse, _ takeOver: HTTPResponder.TakeOver?) {
        loop.preconditionInEventLoop()
        // Late (connection gone) or a second answer to the same request: dropped.
        guard !phase.isClosed, pipeline.record(response, takeOver: takeOver, for: sequence) else { return }
        guard !turn.isDecoding else { return }  // the pass writes and flushes when it unwinds
        writeReadySlots()
        flush()
        if phase.isDecoding {
            processInput()  // also resumes decoding after an upgrade request answered without upgrading
            updateInterest()
            updateDeadline()
        }
        recharge()
    }

    /// Encodes the answers whose turn it is, and a `100 Continue` owed behind them.
    func writeReadySlots() {
        while let slot = pipeline.popReady(), let response = slot.response {
            if let takeOver = slot.takeOver {
                if pipeline.isEmpty && decoder.isIdle && !phase.isLingering { return handOver(response, to: takeOver) }
                logger.error("upgrade refused: not the last request in flight")
                HTTPResponseEncoder.encode(
                    .error(ServerError.internalError), keepAlive: false,
                    date: HTTPDate.shared.now, into: &output)
                phase.stopDecoding()
                pipeline.removeAll()
                break
            }
            let last = pipeline.isEmpty && isBetweenRequests
            let keepAlive = phase.keepsAlive(requested: slot.keepAlive, last: last)
            HTTPResponseEncoder.encode(
                response, bodyOmitted: slot.isHead, keepAlive: keepAlive,
                requestVersion: slot.version, date: HTTPDate.shared.now, into: &output)
            answerEnds.append(output.count)
            if !keepAlive {
                phase.stopDecoding()
                pipeline.removeAll()
            }
        }
        if pipeline.takeOwedContinue() { output.append(contentsOf: HTTPResponseEncoder.continueResponse) }
    }

    /// Writes the upgrade response's head, then gives the socket, the bytes read after the
    /// request and the unsent output to an `UpgradedConnection`; this connection goes inert.
    private func handOver(_ response: HTTPResponse, to takeOver: @escaping HTTPResponder.TakeOver) {
        HTTPResponseEncoder.encodeUpgradeHead(response, date: HTTPDate.shared.now, into: &output)
        let connection = UpgradedConnection(
            socket: socket, loop: loop, budget: budget, pending: Array(input[inputStart...]),
            peerClosed: phase.peerClosed,
            output: Array(output[outputStart...]), ended: { [self] in onClose(self) })
        phase.handOver()  // the socket now belongs to `connection`
        upgraded = connection
        pipeline.removeAll()
        input = []
        inputStart = 0
        output = []
        outputStart = 0
        deadline = nil
        recharge()
        queue.async { takeOver(connection) }
    }

    /// Writes what the socket takes; once every answer owed is sent, the phase says what follows.
    func flush() {
        guard !phase.isClosed else { return }
        while outputStart < output.count {
            do {
                let written = try output.withUnsafeBytes {
                    try socket.write(UnsafeRawBufferPointer(rebasing: $0[outputStart...]))
                }
                guard let written else {
                    updateInterest()
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
        if pipeline.isEmpty {
            idleSince = .now()
            switch phase.outputDrained(isBetweenRequests: isBetweenRequests) {
            case .linger: return linger()
            case .close: return close()
            case .keepServing: break
            }
        }
        updateInterest()
        updateDeadline()
    }

    /// Half-closes and drains what the client still sends, so that closing with unread
    /// input does not reset the connection and destroy the response just written.
    private func linger() {
        let action = phase.linger()
        socket.shutdownWrite()
        input.removeAll()
        inputStart = 0
        if action == .close { return close() }
        deadline = HTTPConnectionDeadline(at: .now() + DispatchTimeInterval.seconds(2), kind: .linger)
        updateInterest()
    }
}
