/// One HTTP/2 frame (RFC 9113 §4.1) as raw bytes go, for tests that script either side of a
/// connection by hand: encode to send, decode what came back.
public struct H2Frame: Equatable, Sendable {
    public let type: UInt8
    public let flags: UInt8
    public let stream: UInt32
    public let payload: [UInt8]

    public init(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.stream = stream
        self.payload = payload
    }

    /// The client connection preface (RFC 9113 §3.4), before the client's first SETTINGS.
    public static let clientPreface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// The 9-byte header and the payload; the stream's reserved bit is sent clear.
    public var encoded: [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + Self.bigEndian(stream & 0x7FFF_FFFF) + payload
    }

    /// The frame at the start of `bytes` and the bytes it took; `nil` until all of it is there.
    public static func decode(_ bytes: [UInt8]) -> (frame: H2Frame, consumed: Int)? {
        guard bytes.count >= 9 else { return nil }
        let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
        guard bytes.count >= 9 + length else { return nil }
        let stream =
            (UInt32(bytes[5]) << 24 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 8 | UInt32(bytes[8])) & 0x7FFF_FFFF
        return (
            H2Frame(type: bytes[3], flags: bytes[4], stream: stream, payload: Array(bytes[9..<9 + length])), 9 + length
        )
    }

    /// HEADERS (END_STREAM | END_HEADERS) for `GET path` to 127.0.0.1, as HPACK literals without Huffman.
    public static func getHeaders(stream: UInt32, path: String) -> H2Frame {
        var block: [UInt8] = [0x82, 0x86]  // :method GET, :scheme http (static table)
        block += [0x04, UInt8(path.utf8.count)] + Array(path.utf8)  // :path, literal value
        block += [0x01, 9] + Array("127.0.0.1".utf8)  // :authority
        return H2Frame(type: 1, flags: 0x5, stream: stream, payload: block)
    }

    /// `value` as four bytes, most significant first.
    public static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
