/// Reads a JSON array of flat objects, such as a `rateLimits` array, into each object's members
/// as text: a string's content (escapes other than `\"` and `\\` kept as sent) or another
/// scalar's exact text. Nested arrays and objects are skipped. Pure; `nil` for malformed input.
struct FlatJSONScanner {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    /// The objects of the top-level array, members in the order sent.
    static func objects(_ bytes: ArraySlice<UInt8>) -> [[(key: String, value: String)]]? {
        var scanner = FlatJSONScanner(bytes)
        return scanner.array()
    }

    private mutating func array() -> [[(key: String, value: String)]]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var objects: [[(key: String, value: String)]] = []
        if consume(UInt8(ascii: "]")) { return atEnd() ? objects : nil }
        repeat {
            guard let object = object() else { return nil }
            objects.append(object)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) && atEnd() ? objects : nil
    }

    private mutating func object() -> [(key: String, value: String)]? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var members: [(key: String, value: String)] = []
        if consume(UInt8(ascii: "}")) { return members }
        repeat {
            skipWhitespace()
            guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            guard let value = value() else { return nil }
            members.append((key, value))
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) ? members : nil
    }

    /// A scalar's text, or `""` for a skipped array or object.
    private mutating func value() -> String? {
        guard position < bytes.endIndex else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "["), UInt8(ascii: "{"): return skipNested() ? "" : nil
        default:
            let start = position
            while position < bytes.endIndex, !Self.isDelimiter(bytes[position]) { position += 1 }
            return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
        }
    }

    private mutating func string() -> String? {
        guard position < bytes.endIndex, bytes[position] == UInt8(ascii: "\"") else { return nil }
        position += 1
        var content: [UInt8] = []
        while position < bytes.endIndex {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.endIndex else { return nil }
                let escaped = bytes[position]
                position += 1
                if escaped != UInt8(ascii: "\"") && escaped != UInt8(ascii: "\\") { content.append(byte) }
                content.append(escaped)
            default: content.append(byte)
            }
        }
        return nil
    }

    /// Skips a nested array or object, strings included.
    private mutating func skipNested() -> Bool {
        var depth = 0
        while position < bytes.endIndex {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                guard string() != nil else { return false }
                continue
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { position += 1; return true }
            default: break
            }
            position += 1
        }
        return false
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.endIndex, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.endIndex
    }

    private mutating func skipWhitespace() {
        while position < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(byte)
    }
}
