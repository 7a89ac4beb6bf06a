import OpenSSL
import Synchronization

/// Fresh `X-Request-Id` values: 16 lower-case hex digits, unique for the life of the process.
///
/// A counter from a random start, passed through a bijective mix (SplitMix64's finalizer), so
/// ids look random but never repeat, without drawing 8 bytes from OpenSSL's generator per request.
/// They identify requests in logs; they are not secrets.
enum RequestIds {
    private static let counter = Atomic<UInt64>(SecureRandom.bytes(8).reduce(0) { $0 << 8 | UInt64($1) })
    private static let digits = Array("0123456789abcdef".utf8)

    static func next() -> String {
        var z = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return String(unsafeUninitializedCapacity: 16) { buffer in
            for index in 0..<16 {
                buffer[index] = digits[Int((z >> UInt64(60 - 4 * index)) & 0xF)]
            }
            return 16
        }
    }
}
