import Synchronization

/// A shift of the exchange's clock that can change while it runs: the clock-skew fault. Read on
/// every request, so it is one atomic.
final class ExchangeClockOffset: Sendable {
    private let millis = Atomic<Int64>(0)

    var value: Int64 { millis.load(ordering: .relaxed) }

    func set(_ value: Int64) { millis.store(value, ordering: .relaxed) }
}
