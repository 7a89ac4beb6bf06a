import Dispatch
import EventLoops
import HTTP1
import Logging
import Pacing
import RESTClient
import RawJSON
import Synchronization
import Upstream

/// Keeps `ServerClock` in step with the upstream: `GET /fapi/v1/time` at start, every
/// `interval`, and on demand after a -1021 (timestamp outside recvWindow).
final class ClockSync: Sendable {
    private let rest: RESTClient
    private let clock: ServerClock
    private let logger: Logger

    init(rest: RESTClient, clock: ServerClock, logger: Logger) {
        self.rest = rest
        self.clock = clock
        self.logger = logger
    }

    /// Asks the upstream for its time once; `completion` gets whether the offset was updated.
    func resync(completion: @escaping @Sendable (Bool) -> Void = { _ in }) {
        let sentAt = ServerClock.wallClockMillis()
        let request = RESTRequest(method: .GET, effect: .readOnly) { ("/fapi/v1/time", [], []) }
        rest.send(request) { [clock, logger] result in
            let receivedAt = ServerClock.wallClockMillis()
            guard case .success(let response) = result, response.status == 200,
                let serverTime = (try? JSONObject(parsing: response.body))?["serverTime"]?.integer
            else {
                logger.warning(
                    "cannot read the upstream time; keeping the clock offset",
                    metadata: ["offsetMillis": "\(clock.offsetMillis)"])
                return completion(false)
            }
            clock.record(serverTime: serverTime, sentAt: sentAt, receivedAt: receivedAt)
            logger.info(
                "upstream clock synchronized",
                metadata: [
                    "offsetMillis": "\(clock.offsetMillis)",
                    "roundTripMillis": "\(receivedAt - sentAt)",
                ])
            completion(true)
        }
    }

    /// Resyncs now and then every `interval`, for the life of the process.
    func start(every interval: Duration) {
        resync()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "futures-gateway.clock-sync"))
        timer.schedule(deadline: .now() + interval.dispatch, repeating: interval.dispatch)
        timer.setEventHandler { [self] in resync() }
        timer.resume()
        ClockSyncTimers.keep(timer)
    }
}

/// Keeps periodic timers alive (a Dispatch source is cancelled when released).
private enum ClockSyncTimers {
    private static let lock = Mutex(())
    nonisolated(unsafe) private static var timers: [any DispatchSourceTimer] = []

    static func keep(_ timer: any DispatchSourceTimer) {
        lock.withLock { _ in timers.append(timer) }
    }
}
