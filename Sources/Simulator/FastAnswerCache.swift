import Synchronization

/// The simulator's fast-answer mode, for benchmarks: `depth` and `ticker.book` are answered
/// from a pre-encoded frame, so that the simulator is not what limits a throughput measurement.
///
/// The first request of a kind is answered by the exchange as usual; its answer, minus the id,
/// is kept under the request's text after the id (method and params, byte for byte). Later
/// requests with the same text get `{"id":<their id>` followed by those bytes: no JSON decoding,
/// no market step, no weight charged, no journal entry. The book and `rateLimits` stay those of
/// the first answer. Any other request, or one whose id is not an integer or a plain string,
/// takes the usual path.
public final class FastAnswerCache: Sendable {
    public static let methods = ["depth", "ticker.book"]
    /// Distinct request texts kept; past it, new ones are answered the usual way.
    static let capacity = 256

    private let answers = Mutex<[[UInt8]: [UInt8]]>([:])

    public init() {}

    /// The answer to `frame`, from the cache or from `compute` (which is then cached when it is
    /// a 200); `nil` when `frame` is not a request this mode answers.
    public func answer(_ frame: [UInt8], compute: () -> [UInt8]) -> [UInt8]? {
        guard let (id, rest) = Self.split(frame) else { return nil }
        let key = Array(frame[rest...])
        if let suffix = answers.withLock({ $0[key] }) {
            var bytes = [UInt8]()
            bytes.reserveCapacity(Self.idPrefix.count + id.count + suffix.count)
            bytes.append(contentsOf: Self.idPrefix)
            bytes.append(contentsOf: frame[id])
            bytes.append(contentsOf: suffix)
            return bytes
        }
        let answer = compute()
        let head = Self.idPrefix + frame[id] + Self.okStatus
        if answer.starts(with: head) {
            let suffix = Array(answer[(Self.idPrefix.count + id.count)...])
            answers.withLock { if $0.count < Self.capacity { $0[key] = suffix } }
        }
        return answer
    }

    private static let idPrefix = Array(#"{"id":"#.utf8)
    private static let okStatus = Array(#","status":200,"#.utf8)

    /// For `{"id":<id>,"method":"depth"|"ticker.book",…`, with optional whitespace around the
    /// punctuation: the id's range (digits, or a string without escapes) and where the rest
    /// starts. `nil` for anything else.
    static func split(_ frame: [UInt8]) -> (id: Range<Int>, rest: Int)? {
        var cursor = Cursor(frame)
        guard cursor.literal("{"), cursor.literal(#""id""#), cursor.literal(":") else { return nil }
        cursor.skipSpace()
        let idStart = cursor.index
        if cursor.peek == UInt8(ascii: "\"") {
            cursor.index += 1
            while let byte = cursor.peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
                cursor.index += 1
            }
            guard cursor.peek == UInt8(ascii: "\"") else { return nil }
            cursor.index += 1
        } else {
            while let byte = cursor.peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { cursor.index += 1 }
        }
        let id = idStart..<cursor.index
        guard !id.isEmpty, id.count <= 64 else { return nil }
        let rest = cursor.index
        guard cursor.literal(","), cursor.literal(#""method""#), cursor.literal(":") else { return nil }
        guard methods.contains(where: { cursor.literal("\"" + $0 + "\"") }) else { return nil }
        guard cursor.literal(",") || cursor.literal("}") else { return nil }
        return (id, rest)
    }

    /// A position in the frame; `literal` skips whitespace before the text it matches.
    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        mutating func literal(_ text: String) -> Bool {
            skipSpace()
            let utf8 = text.utf8
            guard bytes.count - index >= utf8.count, bytes[index..<(index + utf8.count)].elementsEqual(utf8) else {
                return false
            }
            index += utf8.count
            return true
        }
    }
}
