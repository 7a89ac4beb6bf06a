/// A small deterministic generator (SplitMix64): the same seed gives the same exchange.
struct SeededRandom: RandomNumberGenerator, Sendable, Codable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A value derived from `seed` and `parts` alone, for book levels generated on demand.
    static func mix(_ seed: UInt64, _ parts: UInt64...) -> UInt64 {
        var generator = SeededRandom(seed: seed)
        for part in parts {
            generator.state ^= part &* 0xD6E8_FEB8_6659_FD93
            _ = generator.next()
        }
        return generator.next()
    }
}
