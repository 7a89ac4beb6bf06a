import Dispatch
import EventLoops
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `EventLoop.execute`: work a loop gives itself stays on its thread and runs after the current
/// work; work from another thread is a hand-off, and is counted as one.
@Suite("Event loop work")
struct EventLoopExecuteTests {
    private let loop = EventLoopGroup.shared.loops[0]

    /// Runs `body` in a batch of the loop's work and waits for what it reports.
    private func onLoop<T: Sendable>(_ body: @escaping @Sendable (CheckedContinuation<T, Never>) -> Void) async -> T {
        await withCheckedContinuation { continuation in loop.execute { body(continuation) } }
    }

    @Test func workFromTheLoopRunsAfterTheCurrentWorkOnTheSameThread() async {
        let loop = loop
        let (order, sameThread, handOffs) = await onLoop {
            (continuation: CheckedContinuation<([String], Bool, Int), Never>) in
            let before = loop.handOffs
            let log = Mutex<[String]>([])
            let caller = pthread_self()
            loop.execute {
                log.withLock { $0.append("deferred") }
                let same = pthread_equal(pthread_self(), caller) != 0
                continuation.resume(returning: (log.withLock { $0 }, same, loop.handOffs - before))
            }
            log.withLock { $0.append("caller") }
        }
        #expect(order == ["caller", "deferred"])
        #expect(sameThread)
        #expect(handOffs == 0)
    }

    @Test func workFromAnotherThreadIsOneHandOff() async {
        let loop = loop
        let before = loop.handOffs
        let ranOnLoop = await withCheckedContinuation { continuation in
            loop.execute { continuation.resume(returning: loop.inEventLoop) }
        }
        #expect(ranOnLoop)
        #expect(loop.handOffs - before >= 1)
    }

    @Test func deferredWorkMayDeferMoreAndAllOfItRuns() async {
        let loop = loop
        let count = await onLoop { (continuation: CheckedContinuation<Int, Never>) in
            let runs = Mutex(0)
            @Sendable func step(_ left: Int) {
                runs.withLock { $0 += 1 }
                if left == 0 { return continuation.resume(returning: runs.withLock { $0 }) }
                loop.execute { step(left - 1) }
            }
            loop.execute { step(9) }
        }
        #expect(count == 10)
    }

    @Test(.enabled(if: EventLoopGroup.shared.loops.count > 1))
    func workOneLoopGivesAnotherInOneBatchArrivesAsOneBatchInOrder() async {
        let target = EventLoopGroup.shared.loops[1]
        let order = await onLoop { (continuation: CheckedContinuation<[String], Never>) in
            let log = Mutex<[String]>([])
            // Work deferred on the target by the first item runs when the target's batch ends:
            // after the second and third only if all three came in one batch.
            target.execute {
                log.withLock { $0.append("1") }
                target.execute {
                    log.withLock { $0.append("end of batch") }
                    continuation.resume(returning: log.withLock { $0 })
                }
            }
            target.execute { log.withLock { $0.append(target.inEventLoop ? "2" : "2 off the loop") } }
            target.execute { log.withLock { $0.append("3") } }
        }
        #expect(order == ["1", "2", "3", "end of batch"])
    }

    @Test func theReadBufferIsReusedAndANestedReaderGetsAnotherOne() async {
        let loop = loop
        let (first, second, nested) = await onLoop { (continuation: CheckedContinuation<(Int, Int, Int), Never>) in
            let first = loop.withReadBuffer(byteCount: 100) { Int(bitPattern: $0.baseAddress) }
            let (second, nested) = loop.withReadBuffer(byteCount: EventLoop.readBufferSize) { outer in
                outer.storeBytes(of: 7, toByteOffset: 0, as: UInt8.self)
                let inner = loop.withReadBuffer(byteCount: 16) { Int(bitPattern: $0.baseAddress) }
                #expect(outer.load(fromByteOffset: 0, as: UInt8.self) == 7)
                return (Int(bitPattern: outer.baseAddress), inner)
            }
            continuation.resume(returning: (first, second, nested))
        }
        #expect(first == second)
        #expect(nested != first)
    }

    @Test func theUpstreamLoopIsTheOneALoneConnectionGets() {
        #expect(EventLoopGroup.shared.upstreamLoop === EventLoopGroup.shared.loops[0])
        #expect(EventLoopGroup.leastLoaded([0, 0]) == 0)
        #expect(EventLoopGroup.leastLoaded([1, 0]) == 1)
        #expect(EventLoopGroup.leastLoaded([2, 3, 2]) == 0)
    }
}
