/// Keeps control frames (ping, pong, close) within the upstream's limit of 5 a second.
///
/// A sliding window of send times: `admit` says whether a frame may go now, and if not,
/// when the next one may. Every time comes in as an argument.
struct ControlFrameLimiter: Sendable {
    let limit: Int
    let window: Duration
    private var sent: [ContinuousClock.Instant] = []

    init(limit: Int = 5, window: Duration = .seconds(1)) {
        self.limit = limit
        self.window = window
    }

    /// Records a send at `now` and returns nil, or returns how long to wait before trying again.
    mutating func admit(now: ContinuousClock.Instant) -> Duration? {
        sent.removeAll { $0.duration(to: now) >= window }
        guard sent.count < limit else { return window - sent[0].duration(to: now) }
        sent.append(now)
        return nil
    }
}
