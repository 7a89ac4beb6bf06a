import EventLoops
import TestSupport
import Testing
import Transport

#if canImport(Glibc)
import Dispatch
import Glibc
#endif

@Suite struct PlainStreamTests {
    @Test func echoesBytes() async throws {
        let server = try TCPTestServer(.echo)
        let probe = try await StreamProbe.connect(host: "127.0.0.1", port: server.port).get()
        #expect(await probe.onQueue { $0.isSecure } == false)
        probe.write(Array("hello, ".utf8))
        probe.write(Array("gateway".utf8))
        let state = await probe.wait { $0.received.count >= 14 }
        #expect(state.text == "hello, gateway")
        probe.close()
        let closed = await probe.wait { $0.closed }
        #expect(closed.closeCount == 1)
        #expect(closed.closeError == nil)
    }

    @Test func largeWritesArriveInOrder() async throws {
        let server = try TCPTestServer(.echo)
        let probe = try await StreamProbe.connect(host: "localhost", port: server.port).get()
        let chunk = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        let count = 128  // 8 MiB: more than the socket buffers take at once
        for index in 0..<count { probe.write(chunk.map { $0 ^ UInt8(truncatingIfNeeded: index) }) }
        let state = await probe.wait(timeout: .seconds(60)) { $0.received.count >= count * chunk.count || $0.closed }
        #expect(state.received.count == count * chunk.count)
        var mismatch: Int?
        for index in 0..<count where mismatch == nil {
            let slice = state.received[(index * chunk.count)..<((index + 1) * chunk.count)]
            if !zip(slice, chunk).allSatisfy({ $0 == $1 ^ UInt8(truncatingIfNeeded: index) }) { mismatch = index }
        }
        #expect(mismatch == nil)
        if state.maxBuffered > 0 { #expect(state.drainCount >= 1) }
        #expect(await probe.onQueue { $0.bufferedByteCount } == 0)
        probe.close()
        #expect(await probe.wait { $0.closed }.closeCount == 1)
    }

    @Test func closeAfterFlushingDeliversEverything() async throws {
        let server = try TCPTestServer(.count)
        let probe = try await StreamProbe.connect(host: "127.0.0.1", port: server.port).get()
        let total = 4 * 1024 * 1024
        probe.write([UInt8](repeating: 0x5A, count: total))
        probe.close(afterFlushing: true)
        let state = await probe.wait { $0.closed }
        #expect(state.closeError == nil)
        for _ in 0..<200 where server.receivedCounts.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.receivedCounts == [total])
    }

    @Test func peerCloseIsReported() async throws {
        let server = try TCPTestServer(.closeImmediately)
        let probe = try await StreamProbe.connect(host: "127.0.0.1", port: server.port).get()
        let state = await probe.wait { $0.closed }
        #expect(state.closeCount == 1)
        #expect(state.closeError == .closedByPeer)
        probe.close()  // a second close is a no-op
        try await Task.sleep(for: .milliseconds(50))
        #expect(await probe.wait { $0.closed }.closeCount == 1)
    }

    @Test func refusedConnectionIsAClearError() async throws {
        let port = try TCPTestServer(.echo).port  // closed again when the server goes away
        let result = await StreamProbe.connect(host: "127.0.0.1", port: port)
        guard case .failure(let error) = result else {
            Issue.record("connected to a closed port")
            return
        }
        #expect(error == .connectionRefused(host: "127.0.0.1", port: port))
        #expect(error.description == "connection refused by 127.0.0.1:\(port)")
    }

    @Test func unknownHostFailsToResolve() async {
        let result = await StreamProbe.connect(host: "no-such-host.invalid", port: 80, timeout: .seconds(10))
        guard case .failure(let error) = result else {
            Issue.record("resolved an .invalid name")
            return
        }
        switch error {
        case .resolveFailed(let host, let reason):
            #expect(host == "no-such-host.invalid")
            #expect(error.description.hasPrefix("cannot resolve no-such-host.invalid: ") && !reason.isEmpty)
        case .timedOut(_, _, let phase): #expect(phase == "DNS lookup")  // a resolver that does not answer
        default: Issue.record("unexpected \(error)")
        }
    }

    @Test func connectTimesOutWhenTheBacklogIsFull() async throws {
        // Linux drops SYNs to a listener whose accept queue is full, so this connect hangs.
        let server = try TCPTestServer(.neverAccept)
        let filler = try LoopbackClient(tcpPort: server.port)
        defer { filler.close() }
        // Time the completion itself, on its queue: awaiting it measures the test scheduler too.
        let clock = ContinuousClock()
        let start = clock.now
        let (result, finished) = await withCheckedContinuation { continuation in
            ClientStream.connect(
                host: "127.0.0.1", port: server.port, tls: nil, loop: EventLoopGroup.shared.loops[0],
                timeout: .milliseconds(300)
            ) { continuation.resume(returning: ($0, clock.now)) }
        }
        guard case .failure(let error) = result else {
            Issue.record("connected to a full backlog")
            return
        }
        #expect(error == .timedOut(host: "127.0.0.1", port: server.port, phase: "TCP connect"))
        #expect(error.description == "connecting to 127.0.0.1:\(server.port) timed out during the TCP connect")
        #expect(finished - start >= .milliseconds(250) && finished - start < .seconds(3))
    }
}
