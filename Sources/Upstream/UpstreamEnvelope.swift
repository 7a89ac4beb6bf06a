#if canImport(Glibc)
import Glibc
#endif

/// The parts of an upstream answer the gateway needs, found by scanning the bytes once.
///
/// Nothing is decoded or re-encoded: `result` and `error` are byte ranges into the
/// original frame, so the HTTP response can carry exactly what the exchange sent
/// (64-bit ids, decimal strings and key order intact).
public struct UpstreamEnvelope: Sendable, Hashable {
    /// The request id echoed back; `nil` for `"id": null` (connection-level errors) or absent.
    public var id: UInt64?
    public var status: Int
    public var result: Range<Int>?
    public var error: Range<Int>?
    public var rateLimits: Range<Int>?

    /// Scans a top-level JSON object; `nil` when the bytes are not one, or lack `status`.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> UpstreamEnvelope? {
        var scanner = JSONScanner(bytes: bytes)
        var envelope = UpstreamEnvelope(id: nil, status: -1)
        var sawStatus = false
        guard
            scanner.forEachMember({ key, value in
                switch key {
                case .id: envelope.id = JSONScanner.unsignedInteger(bytes, in: value)
                case .status:
                    guard let status = JSONScanner.unsignedInteger(bytes, in: value), status < 1000 else {
                        return false
                    }
                    envelope.status = Int(status)
                    sawStatus = true
                case .result: envelope.result = value
                case .error: envelope.error = value
                case .rateLimits: envelope.rateLimits = value
                case .other: break
                }
                return true
            }), sawStatus
        else { return nil }
        return envelope
    }

    public static func scan(_ bytes: [UInt8]) -> UpstreamEnvelope? {
        bytes.withUnsafeBufferPointer { scan($0) }
    }
}

/// A minimal, strict-enough JSON skimmer: walks the members of the top-level object and
/// skips values without building them. It only needs to be exact about where values
/// start and end; malformed input makes it fail, never crash.
struct JSONScanner {
    enum Key { case id, status, result, error, rateLimits, other }

    let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Calls `body` with each top-level key and the byte range of its value.
    /// Returns false if the bytes are not a well-delimited object or `body` says stop.
    mutating func forEachMember(_ body: (Key, Range<Int>) -> Bool) -> Bool {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let keyRange = skipString() else { return false }
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            let start = index
            guard skipValue() else { return false }
            guard body(key(in: keyRange), start..<index) else { return false }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// An unsigned decimal integer value (no sign, fraction or exponent), else `nil`.
    static func unsignedInteger(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 19 else { return nil }
        var value: UInt64 = 0
        for position in range {
            let byte = bytes[position]
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + UInt64(byte - 48)
        }
        return value
    }

    private func key(in range: Range<Int>) -> Key {
        // The range includes the quotes; compare the raw bytes between them.
        let inner = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        switch inner.count {
        case 2 where Self.equal(inner, "id"): return .id
        case 5 where Self.equal(inner, "error"): return .error
        case 6 where Self.equal(inner, "status"): return .status
        case 6 where Self.equal(inner, "result"): return .result
        case 10 where Self.equal(inner, "rateLimits"): return .rateLimits
        default: return .other
        }
    }

    /// Byte equality with a literal of the same length, without the generic sequence walk.
    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        bytes.count == word.utf8CodeUnitCount && memcmp(bytes.baseAddress!, word.utf8Start, bytes.count) == 0
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Skips a string starting at `index`; returns its range, quotes included.
    private mutating func skipString() -> Range<Int>? {
        let start = index
        guard consume(UInt8(ascii: "\"")) else { return nil }
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return start..<index
            case 0..<0x20: return nil
            default: index += 1
            }
        }
        return nil
    }

    private mutating func skipValue() -> Bool {
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return skipString() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return skipContainer()
        default:
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
                    return index > start
                default: index += 1
                }
            }
            return false
        }
    }

    /// Skips a nested object or array by depth, stepping over strings whole.
    private mutating func skipContainer() -> Bool {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard skipString() != nil else { return false }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index += 1
                    return true
                }
            default: break
            }
            index += 1
        }
        return false
    }
}
