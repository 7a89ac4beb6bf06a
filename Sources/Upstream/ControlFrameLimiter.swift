import Dispatch
import EventLoops

/// Keeps control frames (ping, pong, close) within the upstream's limit of 5 a second.
///
/// A sliding window of send times: `admit` says whether a frame may go now, and if not,
/// when the next one may.
struct ControlFrameLimiter: Sendable {
    let limit: Int
    let window: UInt64
    private var sent: [UInt64] = []

    init(limit: Int = 5, window: Duration = .seconds(1)) {
        self.limit = limit
        self.window = UInt64(window.nanoseconds)
    }

    /// Records a send at `now` and returns nil, or returns how long to wait before trying again.
    mutating func admit(now: DispatchTime = .now()) -> DispatchTimeInterval? {
        let nanos = now.uptimeNanoseconds
        sent.removeAll { nanos - $0 >= window }
        guard sent.count < limit else {
            let wait = window - (nanos - sent[0])
            return .nanoseconds(Int(wait))
        }
        sent.append(nanos)
        return nil
    }
}
