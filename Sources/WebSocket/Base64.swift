/// Standard padded base64 (RFC 4648 §4), only as much as the handshake needs.
///
/// The handshake's keys and accept values are 16- and 20-byte base64 strings; a few lines
/// here save a Foundation dependency.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8?] = (0..<256).map { byte in
        alphabet.firstIndex(of: UInt8(byte)).map(UInt8.init)
    }

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let chunk = input[index..<min(index + 3, input.count)]
            var group = 0
            for (position, byte) in chunk.enumerated() { group |= Int(byte) << (16 - 8 * position) }
            for position in 0..<4 {
                output.append(
                    position <= chunk.count
                        ? alphabet[(group >> (18 - 6 * position)) & 0x3F] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes canonical padded base64; `nil` for anything else (bad characters, missing or
    /// misplaced padding, non-zero bits in the last character).
    static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        for start in stride(from: 0, to: input.count, by: 4) {
            let quad = input[start..<(start + 4)]
            let isLast = start + 4 == input.count
            let padding = isLast ? quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count : 0
            guard padding <= 2 else { return nil }
            var group = 0
            for (position, byte) in quad.prefix(4 - padding).enumerated() {
                guard let value = values[Int(byte)] else { return nil }
                group |= Int(value) << (18 - 6 * position)
            }
            let produced = 3 - padding
            // The bits past the last produced byte must be zero for the encoding to be canonical.
            guard group & ((1 << (8 * (3 - produced))) - 1) == 0 else { return nil }
            for position in 0..<produced { output.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * position))) }
        }
        return output
    }
}
