import EventLoops
import Synchronization

/// The offset between the upstream's clock and ours, so signed requests carry a `timestamp` the
/// upstream accepts (-1021 otherwise) even when the local clock is off.
///
/// Each `GET /fapi/v1/time` (or any answer with a `serverTime`) is one sample; the latest wins.
/// Thread-safe (one mutex).
public final class ServerClock: Sendable {
    private let offset = Mutex<Int64>(0)
    private let localClock: @Sendable () -> Int64

    /// The wall clock in milliseconds since the epoch.
    public static let wallClockMillis: @Sendable () -> Int64 = { WallClock.milliseconds }

    public init(localClock: @escaping @Sendable () -> Int64 = ServerClock.wallClockMillis) {
        self.localClock = localClock
    }

    /// Records one time exchange: we asked at `sentAt`, got `serverTime`, heard back at
    /// `receivedAt` (all ms) → offset = serverTime − midpoint of the round trip.
    public func record(serverTime: Int64, sentAt: Int64, receivedAt: Int64) {
        let midpoint = sentAt + (receivedAt - sentAt) / 2
        offset.withLock { $0 = serverTime - midpoint }
    }

    /// How far the upstream's clock is ahead of ours (negative: behind), 0 before any sample.
    public var offsetMillis: Int64 { offset.withLock { $0 } }

    /// Local time corrected by the offset: what to put in `timestamp`.
    public func now() -> Int64 { localClock() + offsetMillis }
}
