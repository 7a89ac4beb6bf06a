import Dispatch
import Testing

@testable import HTTPServer

/// Which deadline an HTTP/1 connection runs and when it is due, on a clock the test sets.
@Suite("HTTP connection deadline")
struct HTTPConnectionDeadlineTests {
    private let configuration = ServerConfiguration(
        requestReadTimeout: .seconds(10), idleTimeout: .seconds(60), writeTimeout: .seconds(5),
        pressureTimeout: .seconds(1))

    private func at(_ seconds: UInt64) -> DispatchTime {
        DispatchTime(uptimeNanoseconds: 1_000_000_000_000 + seconds * 1_000_000_000)
    }

    private func next(
        outputPending: Bool = false, answersOwed: Bool = false, isBetweenRequests: Bool = true,
        requestStartedAt: DispatchTime? = nil
    ) -> HTTPConnectionDeadline? {
        HTTPConnectionDeadline.next(
            outputPending: outputPending, answersOwed: answersOwed, isBetweenRequests: isBetweenRequests,
            lastWriteProgress: at(1), idleSince: at(2), requestStartedAt: requestStartedAt,
            configuration: configuration)
    }

    @Test func aStalledWriteComesFirstThenTheHandlerThenIdleOrReading() {
        #expect(next(outputPending: true, answersOwed: true) == HTTPConnectionDeadline(at: at(6), kind: .stalledWrite))
        #expect(next(answersOwed: true) == nil, "the handler's own deadline applies")
        #expect(next() == HTTPConnectionDeadline(at: at(62), kind: .idle))
        #expect(
            next(isBetweenRequests: false, requestStartedAt: at(3))
                == HTTPConnectionDeadline(at: at(13), kind: .requestRead))
    }

    @Test func aDeadlineIsDueAtItsTime() {
        let deadline = HTTPConnectionDeadline(at: at(10), kind: .idle)
        #expect(!deadline.isDue(now: at(9), pressureTimeout: nil, lastWriteProgress: at(0), requestStartedAt: nil))
        #expect(deadline.isDue(now: at(10), pressureTimeout: nil, lastWriteProgress: at(0), requestStartedAt: nil))
    }

    @Test func underPressureSlowClientsAreCutOffSoonerButIdleOnesAreNot() {
        let pressure = DispatchTimeInterval.seconds(1)
        let write = HTTPConnectionDeadline(at: at(10), kind: .stalledWrite)
        #expect(!write.isDue(now: at(3), pressureTimeout: nil, lastWriteProgress: at(1), requestStartedAt: nil))
        #expect(write.isDue(now: at(3), pressureTimeout: pressure, lastWriteProgress: at(1), requestStartedAt: nil))
        #expect(!write.isDue(now: at(3), pressureTimeout: pressure, lastWriteProgress: at(3), requestStartedAt: nil))
        let read = HTTPConnectionDeadline(at: at(10), kind: .requestRead)
        #expect(read.isDue(now: at(3), pressureTimeout: pressure, lastWriteProgress: at(0), requestStartedAt: at(1)))
        #expect(!read.isDue(now: at(3), pressureTimeout: pressure, lastWriteProgress: at(0), requestStartedAt: nil))
        for kind in [HTTPConnectionDeadline.Kind.idle, .linger] {
            let deadline = HTTPConnectionDeadline(at: at(10), kind: kind)
            #expect(
                !deadline.isDue(
                    now: at(9), pressureTimeout: pressure, lastWriteProgress: at(0), requestStartedAt: at(0)))
        }
    }
}
