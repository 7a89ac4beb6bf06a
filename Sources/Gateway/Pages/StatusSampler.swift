import Dispatch
import HTTP1
import HTTPServer

/// Every two seconds (and on each `GET /status.json`), notes the upstream WebSocket's state and
/// the rate limits' use in the metrics' history, so the status page shows the last 15 minutes
/// even when nobody had it open. Its timer runs on its own queue and stops when the sampler
/// (kept by the route that serves the history) is released.
final class StatusSampler: Sendable {
    private let upstreams: GatewayUpstreams
    /// Set once in `init` and only cancelled after; Dispatch sources are thread-safe, though the
    /// overlay does not mark them `Sendable`.
    private nonisolated(unsafe) let timer: any DispatchSourceTimer

    init(upstreams: GatewayUpstreams, every interval: DispatchTimeInterval = .seconds(2)) {
        self.upstreams = upstreams
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "futures-gateway.status-sampler"))
        timer = source
        source.schedule(deadline: .now(), repeating: interval)
        source.setEventHandler { [weak self] in self?.sample() }
        source.resume()
    }

    deinit { timer.cancel() }

    func sample() {
        let metrics = upstreams.metrics
        let shares = upstreams.limits.snapshot().filter { $0.rule.limit > 0 }.map {
            Double($0.count) / Double($0.rule.limit)
        }
        if let highest = shares.max() { metrics.recordRateLimitUse(highest) }
        upstreams.webSocket.status { metrics.observe($0) }
    }

    /// `GET /status.json`: the history, with the paper account when `paperAccount` is given.
    static func add(to router: inout HTTPRouter, upstreams: GatewayUpstreams, paperAccount: (@Sendable () -> String)?) {
        let sampler = StatusSampler(upstreams: upstreams)
        router.add(.GET, "/status.json") { _ in
            sampler.sample()
            let json = upstreams.metrics.historyJSON(account: paperAccount?())
            return HTTPResponse(
                status: .ok, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                body: Array(json.utf8))
        }
    }
}
