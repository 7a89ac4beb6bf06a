import Catalog
import Dispatch
import HTTPServer
import Pacing
import Synchronization
import Upstream

/// The gateway's own measurements for `GET /metrics`: calls by name and status, how long the
/// gateway took to answer them, how long the upstream took, calls in flight, local 429s.
///
/// The hot path is one atomic add for in-flight and one short per-call lock; the series of the
/// catalog's calls exist from the start, so finding one takes no lock. Upstream state (connects,
/// rate-limit usage) is read from its owners when metrics are scraped, not copied here.
public final class GatewayMetrics: Sendable {
    /// The transports a call goes over upstream, the `transport` label.
    public enum Transport: String, Sendable, CaseIterable {
        case ws, rest
    }

    /// Distinct pass-through methods tracked by name; further ones share the series `call/other`.
    static let maxPassThroughSeries = 128

    private let catalogSeries: [String: CallSeries]
    private let passThroughSeries = Mutex<[String: CallSeries]>([:])
    private let inFlight = Atomic<Int>(0)
    private let upstreamLatency = Mutex(
        [LatencyHistogram](repeating: LatencyHistogram(), count: Transport.allCases.count))
    private let localRefusals = Mutex<[RateLimitKind: UInt64]>([:])
    private let history = Mutex(StatusHistory())
    /// Milliseconds since the epoch, for the history's times.
    let clock: @Sendable () -> Int64

    public init(clock: @escaping @Sendable () -> Int64 = ServerClock.wallClockMillis) {
        self.clock = clock
        catalogSeries = Dictionary(uniqueKeysWithValues: CallCatalog.all.map { ($0.name, CallSeries(call: $0.name)) })
    }

    /// The series of `call`: a catalog call's name, or `call/<method>` for the pass-through.
    func series(for call: String) -> CallSeries {
        if let series = catalogSeries[call] { return series }
        return passThroughSeries.withLock { table in
            if let series = table[call] { return series }
            let name = table.count < Self.maxPassThroughSeries ? call : "call/other"
            if let series = table[name] { return series }
            let series = CallSeries(call: name)
            table[name] = series
            return series
        }
    }

    /// Wraps a route's handler so that its answer is counted under `call` with its status and the
    /// time from the handler's start to the response being handed to the connection.
    func instrument(call: String, _ handle: @escaping HTTPRouter.Handle) -> HTTPRouter.Handle {
        let series = series(for: call)
        return { [self] request, responder in
            measure(series, responder) { handle(request, $0) }
        }
    }

    /// Measures one request of `series`: `body` gets the responder to answer through.
    func measure(_ series: CallSeries, _ responder: HTTPResponder, _ body: (HTTPResponder) -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        inFlight.add(1, ordering: .relaxed)
        body(
            HTTPResponder { [self] response in
                let elapsed = DispatchTime.now().uptimeNanoseconds &- start
                inFlight.subtract(1, ordering: .relaxed)
                series.record(status: response.status.code, nanoseconds: elapsed)
                let now = clock()
                history.withLock {
                    $0.record(
                        atMillis: now, call: series.call, status: response.status.code, nanoseconds: elapsed,
                        requestId: response.headers["X-Request-Id"], answer: response.body)
                }
                responder.respond(response)
            })
    }

    /// One upstream round trip: from the request's bytes being sent to its answer.
    func recordUpstream(_ transport: Transport, nanoseconds: UInt64) {
        let index = transport == .ws ? 0 : 1
        upstreamLatency.withLock { $0[index].record(nanoseconds: nanoseconds) }
    }

    /// A call refused locally with 429 because it would break the upstream's `kind` limit.
    func recordLocalRefusal(_ kind: RateLimitKind) {
        localRefusals.withLock { $0[kind, default: 0] += 1 }
    }

    /// The highest share (0...1) of any upstream rate limit in use now, for the history.
    func recordRateLimitUse(_ share: Double) {
        let now = clock()
        history.withLock { $0.recordRateLimitUse(atMillis: now, share) }
    }

    /// The upstream WebSocket's state now, for the history's connection events.
    func observe(_ status: UpstreamStatus) {
        let now = clock()
        history.withLock { $0.observe(status, atMillis: now) }
    }

    /// The history as `GET /status.json` serves it.
    func historyJSON(account: String?) -> String {
        let now = clock()
        return history.withLock { $0.json(now: now, account: account) }
    }

    /// Everything counted so far, for the exposition.
    struct Snapshot {
        var calls: [(call: String, counts: CallSeries.Counts)]
        var inFlight: Int
        var upstreamLatency: [(Transport, LatencyHistogram)]
        var localRefusals: [RateLimitKind: UInt64]
    }

    var snapshot: Snapshot {
        let others = passThroughSeries.withLock { Array($0.values) }
        let calls = (Array(catalogSeries.values) + others)
            .map { (call: $0.call, counts: $0.snapshot) }
            .filter { !$0.counts.byStatus.isEmpty }
            .sorted { $0.call < $1.call }
        return Snapshot(
            calls: calls, inFlight: inFlight.load(ordering: .relaxed),
            upstreamLatency: Array(zip(Transport.allCases, upstreamLatency.withLock { $0 })),
            localRefusals: localRefusals.withLock { $0 })
    }
}
