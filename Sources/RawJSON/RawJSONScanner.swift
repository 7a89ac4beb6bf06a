/// A strict recursive-descent JSON reader (RFC 8259) over bytes that keeps the raw text of
/// every value.
///
/// Binance signs parameters as their text, and a client's `0.10` must reach the exchange as
/// `0.10`: Foundation's decoder turns numbers into doubles and accepts duplicate keys, so the
/// gateway's parameter reader and the simulator's signature checks both use this one.
public struct RawJSONScanner {
    public indirect enum Value: Sendable {
        case string(String)
        /// A number, `true`, `false`, `null` or an array: its exact text.
        case raw(String)
        /// An object's members and its exact text.
        case object([Member], String)
    }

    public struct Member: Sendable {
        public let key: String
        public let value: Value
    }

    /// Deepest nesting accepted.
    public static let maximumDepth = 32

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Reads a part of a larger buffer (an answer's `rateLimits` slice) without copying it.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    /// The elements of the single top-level array; trailing bytes other than whitespace are an error.
    public mutating func arrayDocument() throws(RawJSONError) -> [Value] {
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else { throw .malformed }
        let elements = try array(depth: 0)
        skipWhitespace()
        guard position == bytes.endIndex else { throw .malformed }
        return elements
    }

    /// The members of the single top-level object; trailing bytes other than whitespace are an error.
    public mutating func document() throws(RawJSONError) -> [Member] {
        skipWhitespace()
        guard case .object(let members, _) = try value(depth: 0) else { throw .malformed }
        skipWhitespace()
        guard position == bytes.endIndex else { throw .malformed }
        return members
    }

    private mutating func value(depth: Int) throws(RawJSONError) -> Value {
        guard depth < Self.maximumDepth, let byte = peek() else { throw .malformed }
        let start = position
        switch byte {
        case UInt8(ascii: "{"): return .object(try object(depth: depth), text(from: start))
        case UInt8(ascii: "["):
            _ = try array(depth: depth)
            return .raw(text(from: start))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
        return .raw(text(from: start))
    }

    private mutating func object(depth: Int) throws(RawJSONError) -> [Member] {
        position += 1
        var members: [Member] = []
        var seen: Set<String> = []  // used past `linearLimit` members; below it a scan is cheaper than hashing
        let linearLimit = 16
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .malformed }
            let key = try string()
            if members.count < linearLimit {
                guard !members.contains(where: { $0.key == key }) else { throw .duplicateKey(key) }
            } else {
                if seen.isEmpty { seen = Set(members.map(\.key)) }
                guard seen.insert(key).inserted else { throw .duplicateKey(key) }
            }
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append(Member(key: key, value: try value(depth: depth + 1)))
            skipWhitespace()
            guard let next = take() else { throw .malformed }
            if next == UInt8(ascii: "}") { return members }
            guard next == UInt8(ascii: ",") else { throw .malformed }
        }
    }

    private mutating func array(depth: Int) throws(RawJSONError) -> [Value] {
        position += 1
        var elements: [Value] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard let next = take() else { throw .malformed }
            if next == UInt8(ascii: "]") { return elements }
            guard next == UInt8(ascii: ",") else { throw .malformed }
        }
    }

    /// A string's unescaped content; rejects raw control characters, bad escapes and invalid UTF-8.
    private mutating func string() throws(RawJSONError) -> String {
        position += 1
        // Most strings have no escapes: take them as one slice.
        let start = position
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { position += 1 }
        if peek() == UInt8(ascii: "\"") {
            guard let text = String(validating: bytes[start..<position], as: UTF8.self) else { throw .malformed }
            position += 1
            return text
        }
        position = start
        var out: [UInt8] = []
        while true {
            guard let byte = take() else { throw .malformed }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw .malformed }
                return text
            case UInt8(ascii: "\\"): try escape(into: &out)
            case 0..<0x20: throw .malformed
            default: out.append(byte)
            }
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(RawJSONError) {
        guard let byte = take() else { throw .malformed }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard take() == UInt8(ascii: "\\"), take() == UInt8(ascii: "u") else { throw .malformed }
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .malformed }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw .malformed
        }
    }

    private mutating func hex4() throws(RawJSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = take(), let digit = byte.hexDigitValue else { throw .malformed }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() throws(RawJSONError) {
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
    }

    private mutating func digits() throws(RawJSONError) {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        guard position > start else { throw .malformed }
    }

    private mutating func literal(_ word: String) throws(RawJSONError) {
        let expected = Array(word.utf8)
        guard bytes.endIndex - position >= expected.count,
            bytes[position..<position + expected.count].elementsEqual(expected)
        else { throw .malformed }
        position += expected.count
    }

    private mutating func expect(_ byte: UInt8) throws(RawJSONError) {
        skipWhitespace()
        guard take() == byte else { throw .malformed }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    private func peek() -> UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    private mutating func take() -> UInt8? {
        defer { position += 1 }
        return peek()
    }

    private func text(from start: Int) -> String { String(decoding: bytes[start..<position], as: UTF8.self) }
}

private extension UInt8 {
    var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
