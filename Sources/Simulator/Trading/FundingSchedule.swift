/// When funding is settled and at what rate: a pure function of the seed, the symbol and the
/// funding time, so past rates (`fundingRate`) and the next one (`premiumIndex`) need no storage.
///
/// Funding times are the multiples of `interval` since the epoch: 00:00, 08:00 and 16:00 UTC for
/// the exchange's eight hours. The rate follows Binance's formula, F = P + clamp(I − P, ±0.05%),
/// with I = 0.01% per interval and P a premium index: the tape's mark over its index at the
/// funding time plus a seeded premium of −0.07%…+0.09% (so the rate is mostly 0.01% and at times
/// moves with the premium), capped at ±0.3%. Rates are in 10^-8 (0.0001 is 10,000).
struct FundingSchedule: Sendable {
    static let eightHours: Int64 = 8 * 3_600_000
    static let interestRate: Int64 = 10_000
    static let clampWidth: Int64 = 50_000
    static let cap: Int64 = 300_000

    /// Milliseconds between funding times (positive).
    let interval: Int64
    let seed: UInt64

    init(seed: UInt64, interval: Int64 = Self.eightHours) {
        precondition(interval > 0, "a funding interval is positive")
        self.seed = seed
        self.interval = interval
    }

    /// The latest funding time at or before `time`.
    func fundingTime(atOrBefore time: Int64) -> Int64 { time - ((time % interval) + interval) % interval }

    /// The first funding time after `time`.
    func nextFundingTime(after time: Int64) -> Int64 { fundingTime(atOrBefore: time) + interval }

    /// The premium index P at `time`, in 10^-8.
    func premium(_ spec: SymbolSpec, at time: Int64) -> Int64 {
        let tape = MarketTape(seed: seed, spec: spec)
        let index = tape.indexPrice(time)
        let tapePremium = TradingMath.scale(tape.markPrice(time) - index, 100_000_000, index)
        let noise = SeededRandom.mix(seed, spec.symbol.hashValueStable, UInt64(truncatingIfNeeded: time), 0x46554E44)
        return tapePremium + Int64(noise % 160_001) - 70_000
    }

    /// The funding rate settled at funding time `time`, in 10^-8.
    func rate(_ spec: SymbolSpec, at time: Int64) -> Int64 {
        let premium = premium(spec, at: time)
        let rate = premium + min(Self.clampWidth, max(-Self.clampWidth, Self.interestRate - premium))
        return min(Self.cap, max(-Self.cap, rate))
    }

    /// The funding times in `from...through`, at most `limit`, oldest first (from the latest when
    /// `latest` is set).
    func times(from start: Int64, through end: Int64, limit: Int, latest: Bool) -> [Int64] {
        guard start <= end, limit > 0 else { return [] }
        let first = fundingTime(atOrBefore: start) + (start % interval == 0 ? 0 : interval)
        let last = fundingTime(atOrBefore: end)
        guard first <= last else { return [] }
        let count = (last - first) / interval + 1
        let taken = min(Int64(limit), count)
        let begin = latest ? last - (taken - 1) * interval : first
        return (0..<taken).map { begin + $0 * interval }
    }
}
