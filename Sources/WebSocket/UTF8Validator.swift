/// Checks that bytes are well-formed UTF-8 (Unicode §3.9, Table 3-7) without building a String.
///
/// Every text message is validated (RFC 6455 §8.1), so this runs on the hot path: ASCII is
/// skipped a word at a time, and overlong forms, surrogates and code points past U+10FFFF
/// are refused.
enum UTF8Validator {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count,
                raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = base[index]
            switch lead {
            case 0x00...0x7F:
                index += 1
            case 0xC2...0xDF:
                guard index + 1 < count, isContinuation(base[index + 1]) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard index + 2 < count else { return false }
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80  // no overlongs
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF  // no surrogates
                guard (low...high).contains(base[index + 1]), isContinuation(base[index + 2]) else { return false }
                index += 3
            case 0xF0...0xF4:
                guard index + 3 < count else { return false }
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80  // no overlongs
                let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF  // nothing past U+10FFFF
                guard (low...high).contains(base[index + 1]), isContinuation(base[index + 2]),
                    isContinuation(base[index + 3])
                else { return false }
                index += 4
            default:
                return false  // a stray continuation byte, C0/C1 overlongs, F5–FF
            }
        }
        return true
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }

    @inline(__always)
    private static func isContinuation(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }
}
