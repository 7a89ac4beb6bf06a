/// A 4-byte masking key (RFC 6455 §5.3) and the fast XOR that applies it.
///
/// Masking runs over every byte a client sends and a server receives, so it works a
/// machine word at a time instead of byte by byte.
public struct WebSocketMask: Sendable, Hashable {
    /// The key in wire order: byte 0 is the most significant.
    public let key: UInt32

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        key = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    public init(key: UInt32) {
        self.key = key
    }

    /// The key's bytes in wire order.
    public var bytes: [UInt8] { (0..<4).map(byte) }

    @inline(__always)
    func byte(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: key >> (24 - 8 * (index & 3)))
    }

    /// XORs `buffer` in place with the key, where `buffer[0]` is byte `offset` of the payload.
    /// Masking and unmasking are the same operation.
    public func apply(to buffer: UnsafeMutableBufferPointer<UInt8>, offset: Int = 0) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let count = buffer.count
        var index = 0
        if count >= 8 {
            // The 8 key bytes that line up with buffer[0..<8], as they lie in memory.
            var pattern: UInt64 = 0
            for k in 0..<8 { pattern |= UInt64(byte(offset + k)) << (8 * k) }
            pattern = UInt64(littleEndian: pattern)
            let raw = UnsafeMutableRawPointer(base)
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                raw.storeBytes(of: word ^ pattern, toByteOffset: index, as: UInt64.self)
                index += 8
            }
        }
        while index < count {
            base[index] ^= byte(offset + index)
            index += 1
        }
    }

    /// Masks `bytes[range]` in place; `range.lowerBound` is byte `offset` of the payload.
    public func apply(to bytes: inout [UInt8], in range: Range<Int>, offset: Int = 0) {
        bytes.withUnsafeMutableBufferPointer { buffer in
            apply(to: UnsafeMutableBufferPointer(rebasing: buffer[range]), offset: offset)
        }
    }
}
