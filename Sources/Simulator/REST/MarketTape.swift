#if canImport(Glibc)
import Glibc
#endif

/// The simulated trade history of every symbol: a pure function of the seed, the symbol and time,
/// so any past window can be answered in any order and the same seed always gives the same tape.
///
/// Model: trade `n` of a symbol happens at `n × tradeSpacing` ms since the epoch (two trades a
/// second). Trades come in groups of three (`n / 3`), one aggregate trade each: same price, same
/// taker side. A group's price follows a smooth path (three sine waves with seed-derived phases:
/// monthly ±8%, daily ±1%, hourly ±0.2% around the symbol's start price) plus up to ±5 ticks of
/// seeded noise, on the tick grid. Quantities are seeded, 1…40 steps (×10 steps for coarse lots).
/// Klines aggregate the same trades; mark/index/premium klines sample the same path.
/// The tape is independent of the live books (`MarketData`), which move per request.
struct MarketTape: Sendable {
    static let tradeSpacing: Int64 = 500
    static let groupSize: Int64 = 3
    /// Trade `n` has the public id `n × idStride`; the ids in between belong to the exchange's own
    /// fills (`FillLog`), so the merged tape's ids increase in time order.
    static let idStride: Int64 = 10_000

    struct Trade: Sendable {
        let id: Int64
        let price: Int64
        let quantity: Int64
        let time: Int64
        let isBuyerMaker: Bool
    }

    let seed: UInt64
    let spec: SymbolSpec
    private let symbolKey: UInt64
    private let phases: (Double, Double, Double)

    init(seed: UInt64, spec: SymbolSpec) {
        self.seed = seed
        self.spec = spec
        let key = spec.symbol.hashValueStable
        symbolKey = key
        func phase(_ index: UInt64) -> Double {
            Double(SeededRandom.mix(seed, key, 0x5048_4153_45, index) % 10_000) / 10_000 * 2 * Double.pi
        }
        phases = (phase(1), phase(2), phase(3))
    }

    /// The sequence number `n` of the last trade at or before `time` (ms).
    static func lastTradeId(at time: Int64) -> Int64 { max(0, time) / tradeSpacing }

    static func time(ofTrade id: Int64) -> Int64 { id * tradeSpacing }

    /// The smooth path in price units at `time`, before noise and tick rounding.
    func pathPrice(_ time: Int64) -> Double {
        let t = Double(time)
        let wave =
            0.08 * sin(2 * Double.pi * t / 2_592_000_000 + phases.0)
            + 0.01 * sin(2 * Double.pi * t / 86_400_000 + phases.1)
            + 0.002 * sin(2 * Double.pi * t / 3_600_000 + phases.2)
        return Double(spec.startPriceUnits) * (1 + wave)
    }

    /// `value` rounded to the tick grid, at least ten ticks.
    func onTick(_ value: Double) -> Int64 {
        max(spec.tickUnits * 10, Int64((value / Double(spec.tickUnits)).rounded()) * spec.tickUnits)
    }

    /// Trade number `id` (its public id is `id × idStride`).
    func trade(_ id: Int64) -> Trade {
        let group = UInt64(id / Self.groupSize)
        let groupNoise = SeededRandom.mix(seed, symbolKey, group)
        let ticks = Int64(groupNoise % 11) - 5
        let price = onTick(pathPrice(Self.time(ofTrade: id / Self.groupSize * Self.groupSize))) + ticks * spec.tickUnits
        let lot = spec.quantityDecimals == 0 ? 1 : Int64(10)
        let quantity = Int64(SeededRandom.mix(seed, symbolKey, UInt64(id), 0x51) % 40 + 1) * spec.stepUnits * lot
        return Trade(
            id: id * Self.idStride, price: max(spec.tickUnits, price), quantity: quantity, time: Self.time(ofTrade: id),
            isBuyerMaker: (groupNoise >> 32) & 1 == 1)
    }

    /// Mark price at `time`: the path plus 0…3 ticks of seeded premium (used by mark-price klines).
    func markPrice(_ time: Int64) -> Int64 {
        onTick(pathPrice(time)) + Int64(SeededRandom.mix(seed, symbolKey, UInt64(max(0, time) / 1000), 0x4D) % 4)
            * spec.tickUnits
    }

    /// Index price at `time`: the path without noise.
    func indexPrice(_ time: Int64) -> Int64 { onTick(pathPrice(time)) }
}
