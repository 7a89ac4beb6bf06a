/// The simulated market: per symbol, a mid price that moves by a reproducible random walk,
/// and an order book around it generated on demand from the seed.
///
/// Each market-data request advances its symbol's walk by one step, so the same seed and
/// the same sequence of requests give the same books. A level's quantity is a function of its
/// side, its price and an epoch that turns over every `quantityPeriod` steps at a phase of its
/// own, so one step changes about one level in `quantityPeriod` (plus the levels the mid's move
/// shifts in and out): the diff stream stays small, as on the exchange.
struct MarketData: Sendable, Codable {
    struct Level: Equatable {
        let price: Int64
        let quantity: Int64
    }

    struct Book {
        let updateID: Int64
        let bids: [Level]
        let asks: [Level]
    }

    /// Levels per side of the whole book: the deepest snapshot (`limit=1000`) and what the
    /// depth diff stream covers.
    static let fullDepth = 1000
    /// Steps between two changes of one level's quantity.
    static let quantityPeriod: UInt64 = 40

    /// What every generated book and trade derives from.
    let seed: UInt64
    private var generator: SeededRandom
    private var mids: [String: Int64]
    private var steps: [String: Int64]

    init(seed: UInt64) {
        self.seed = seed
        generator = SeededRandom(seed: seed)
        mids = Dictionary(uniqueKeysWithValues: SymbolSpec.all.map { ($0.symbol, $0.startPriceUnits) })
        steps = [:]
    }

    /// Moves `spec`'s mid price by up to three ticks either way and returns its new book.
    mutating func step(_ spec: SymbolSpec, depth: Int) -> Book {
        let move = Int64(generator.next() % 7) - 3
        let mid = max(spec.tickUnits * 10, mids[spec.symbol, default: spec.startPriceUnits] + move * spec.tickUnits)
        mids[spec.symbol] = mid
        let step = steps[spec.symbol, default: 0] + 1
        steps[spec.symbol] = step
        return book(spec, mid: mid, step: step, depth: depth)
    }

    /// The current mid price of `spec`, without moving it.
    func mid(_ spec: SymbolSpec) -> Int64 { mids[spec.symbol, default: spec.startPriceUnits] }

    /// How many steps `spec`'s market has taken.
    func stepCount(_ spec: SymbolSpec) -> Int64 { steps[spec.symbol, default: 0] }

    /// The update id of the book after `step` steps (`lastUpdateId` of a snapshot, `u` of a diff).
    static func updateID(step: Int64) -> Int64 { 1_000_000 + step * 7 }

    /// The book `step` last returned for `spec`, without moving it: what trading matches against.
    func currentBook(_ spec: SymbolSpec, depth: Int) -> Book {
        book(spec, mid: mid(spec), step: steps[spec.symbol, default: 0], depth: depth)
    }

    private func book(_ spec: SymbolSpec, mid: Int64, step: Int64, depth: Int) -> Book {
        let symbolKey = UInt64(truncatingIfNeeded: spec.symbol.hashValueStable)
        func level(_ side: UInt64, _ index: Int) -> Level {
            let offset = Int64(index + 1) * spec.tickUnits
            let price = side == 0 ? mid - offset : mid + offset
            let levelKey = UInt64(bitPattern: price)
            let phase = SeededRandom.mix(seed, symbolKey, side, levelKey) % Self.quantityPeriod
            let epoch = (UInt64(step) + phase) / Self.quantityPeriod
            let noise = SeededRandom.mix(seed, symbolKey, side, levelKey, epoch)
            let quantity = Int64(noise % 5_000 + 1) * spec.stepUnits * Int64(pow10(max(0, spec.quantityDecimals - 1)))
            return Level(price: price, quantity: quantity)
        }
        return Book(
            updateID: Self.updateID(step: step), bids: (0..<depth).map { level(0, $0) },
            asks: (0..<depth).map { level(1, $0) })
    }

    private func pow10(_ exponent: Int) -> Int64 { (0..<exponent).reduce(1) { value, _ in value * 10 } }
}

extension String {
    /// FNV-1a over the UTF-8 bytes: stable across runs, unlike `hashValue`.
    var hashValueStable: UInt64 {
        utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
