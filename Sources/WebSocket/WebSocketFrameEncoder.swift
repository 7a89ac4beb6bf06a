import OpenSSL

/// Serialises frames to wire bytes (RFC 6455 §5.2).
///
/// A client masks every frame with a fresh key from the system CSPRNG, as §5.3 requires,
/// drawing keys from a small pool so that a frame does not cost a call into OpenSSL; a server
/// never masks. The payload is copied once into the output and masked there in place.
public struct WebSocketFrameEncoder: Sendable {
    public let role: WebSocketRole

    private var randomPool: [UInt8] = []
    private var poolIndex = 0
    private static let poolSize = 1024

    public init(role: WebSocketRole) {
        self.role = role
    }

    /// Appends `frame` to `output`.
    public mutating func encode(_ frame: WebSocketFrame, into output: inout [UInt8]) {
        encode(opcode: frame.opcode, fin: frame.fin, payload: frame.payload, into: &output)
    }

    /// The wire bytes of `frame`.
    public mutating func encode(_ frame: WebSocketFrame) -> [UInt8] {
        var output: [UInt8] = []
        encode(frame, into: &output)
        return output
    }

    /// Appends a frame carrying `payload` (an array, a slice or a string's UTF-8 view, say)
    /// to `output`, without building a `WebSocketFrame` first.
    public mutating func encode(
        opcode: WebSocketOpcode, fin: Bool = true, payload: some Collection<UInt8>,
        into output: inout [UInt8]
    ) {
        let mask = role == .client ? nextMask() : nil
        Self.encode(opcode: opcode, fin: fin, payload: payload, mask: mask, into: &output)
    }

    /// Appends a frame masked with exactly `mask` (or unmasked for `nil`), whatever the role:
    /// for tests and for reproducing a captured exchange. Live clients use the mutating form.
    public static func encode(
        opcode: WebSocketOpcode, fin: Bool = true, payload: some Collection<UInt8>,
        mask: WebSocketMask?, into output: inout [UInt8]
    ) {
        // One non-generic copy loop, whatever the caller's collection (arrays, slices and
        // native strings' UTF-8 views all have contiguous storage).
        let done: Void? = payload.withContiguousStorageIfAvailable {
            encode(opcode: opcode, fin: fin, buffer: $0, mask: mask, into: &output)
        }
        if done == nil {
            Array(payload).withUnsafeBufferPointer {
                encode(opcode: opcode, fin: fin, buffer: $0, mask: mask, into: &output)
            }
        }
    }

    private static func encode(
        opcode: WebSocketOpcode, fin: Bool, buffer payload: UnsafeBufferPointer<UInt8>,
        mask: WebSocketMask?, into output: inout [UInt8]
    ) {
        let length = payload.count
        output.reserveCapacity(output.count + 14 + length)
        output.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch length {
        case ..<126:
            output.append(maskBit | UInt8(length))
        case ..<0x1_0000:
            output.append(maskBit | 126)
            output.append(UInt8(truncatingIfNeeded: length >> 8))
            output.append(UInt8(truncatingIfNeeded: length))
        default:
            output.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                output.append(UInt8(truncatingIfNeeded: UInt64(length) >> UInt64(shift)))
            }
        }
        guard let mask else {
            output.append(contentsOf: payload)
            return
        }
        for index in 0..<4 { output.append(mask.byte(index)) }
        let start = output.count
        output.append(contentsOf: payload)
        mask.apply(to: &output, in: start..<output.count)
    }

    private mutating func nextMask() -> WebSocketMask {
        if poolIndex + 4 > randomPool.count {
            randomPool = SecureRandom.bytes(Self.poolSize)
            poolIndex = 0
        }
        let mask = WebSocketMask(
            randomPool[poolIndex], randomPool[poolIndex + 1],
            randomPool[poolIndex + 2], randomPool[poolIndex + 3])
        poolIndex += 4
        return mask
    }
}
