#if canImport(Glibc)
import Glibc
#endif

/// A reader for the shape every WebSocket answer's `rateLimits` array has, e.g.
/// `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":12}]`,
/// that makes no strings and no arrays of members: it runs once per proxied call, and the
/// general reader cost a fifth of the gateway's instructions there (callgrind, scripts/profile).
///
/// It takes only what it fully understands: objects of exactly these five keys, the kinds
/// REQUEST_WEIGHT and ORDERS, the intervals SECOND, MINUTE, HOUR and DAY, and unsigned integers.
/// Anything else gives `nil`, and the caller uses the general reader instead.
enum RateLimitsFastScan {
    struct Entry: Equatable {
        var kind: RateLimitKind
        /// The interval's unit letter (`S`, `M`, `H`, `D`) and its length in milliseconds.
        var unit: UInt8
        var unitMillis: Int64
        var intervalNum: Int
        var limit: Int
        var count: Int

        /// `X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, …: Binance's defaults without building a string.
        var headerName: String {
            switch (kind, intervalNum, unit) {
            case (.requestWeight, 1, UInt8(ascii: "M")): "X-MBX-USED-WEIGHT-1M"
            case (.orders, 10, UInt8(ascii: "S")): "X-MBX-ORDER-COUNT-10S"
            case (.orders, 1, UInt8(ascii: "M")): "X-MBX-ORDER-COUNT-1M"
            case (.orders, 1, UInt8(ascii: "D")): "X-MBX-ORDER-COUNT-1D"
            default:
                (kind == .requestWeight ? "X-MBX-USED-WEIGHT-" : "X-MBX-ORDER-COUNT-")
                    + String(intervalNum) + String(UnicodeScalar(unit))
            }
        }
    }

    static func scan(_ bytes: ArraySlice<UInt8>) -> [Entry]? {
        var reader = Reader(bytes: bytes, position: bytes.startIndex)
        var entries: [Entry] = []
        guard reader.take(UInt8(ascii: "[")) else { return nil }
        if reader.take(UInt8(ascii: "]")) { return reader.atEnd ? entries : nil }
        repeat {
            guard let entry = reader.entry() else { return nil }
            entries.append(entry)
        } while reader.take(UInt8(ascii: ","))
        guard reader.take(UInt8(ascii: "]")), reader.atEnd else { return nil }
        return entries
    }

    /// The words it knows, as bytes (comparing slices to arrays is a plain loop; to a String's
    /// UTF-8 view it is not).
    private enum Word {
        static let rateLimitType = Array("rateLimitType".utf8)
        static let requestWeight = Array("REQUEST_WEIGHT".utf8)
        static let orders = Array("ORDERS".utf8)
        static let interval = Array("interval".utf8)
        static let second = Array("SECOND".utf8)
        static let minute = Array("MINUTE".utf8)
        static let hour = Array("HOUR".utf8)
        static let day = Array("DAY".utf8)
        static let intervalNum = Array("intervalNum".utf8)
        static let limit = Array("limit".utf8)
        static let count = Array("count".utf8)
    }

    private struct Reader {
        let bytes: ArraySlice<UInt8>
        var position: Int

        var atEnd: Bool {
            mutating get {
                skipWhitespace()
                return position == bytes.endIndex
            }
        }

        mutating func entry() -> Entry? {
            var kind: RateLimitKind?, unit: (UInt8, Int64)?, intervalNum: Int?, limit: Int?, count: Int?
            guard take(UInt8(ascii: "{")) else { return nil }
            repeat {
                guard let key = string() else { return nil }
                guard take(UInt8(ascii: ":")) else { return nil }
                switch key.count {
                case 13 where key.matches(Word.rateLimitType):
                    guard kind == nil, let value = string() else { return nil }
                    if value.matches(Word.requestWeight) {
                        kind = .requestWeight
                    } else if value.matches(Word.orders) {
                        kind = .orders
                    } else {
                        return nil
                    }
                case 8 where key.matches(Word.interval):
                    guard unit == nil, let value = string() else { return nil }
                    if value.matches(Word.second) {
                        unit = (UInt8(ascii: "S"), 1000)
                    } else if value.matches(Word.minute) {
                        unit = (UInt8(ascii: "M"), 60_000)
                    } else if value.matches(Word.hour) {
                        unit = (UInt8(ascii: "H"), 3_600_000)
                    } else if value.matches(Word.day) {
                        unit = (UInt8(ascii: "D"), 86_400_000)
                    } else {
                        return nil
                    }
                case 11 where key.matches(Word.intervalNum):
                    guard intervalNum == nil, let value = integer(), value > 0 else { return nil }
                    intervalNum = value
                case 5 where key.matches(Word.limit):
                    guard limit == nil, let value = integer() else { return nil }
                    limit = value
                case 5 where key.matches(Word.count):
                    guard count == nil, let value = integer() else { return nil }
                    count = value
                default:
                    return nil
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), let kind, let unit, let intervalNum, let limit, let count else { return nil }
            return Entry(
                kind: kind, unit: unit.0, unitMillis: unit.1, intervalNum: intervalNum, limit: limit, count: count)
        }

        /// A string without escapes, as the bytes between its quotes.
        mutating func string() -> ArraySlice<UInt8>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.endIndex {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    position += 1
                    return bytes[start..<position - 1]
                case UInt8(ascii: "\\"), 0..<0x20:
                    return nil
                default:
                    position += 1
                }
            }
            return nil
        }

        /// Digits only, without a leading zero (but `0`), at most 18 of them.
        mutating func integer() -> Int? {
            skipWhitespace()
            let start = position
            var value = 0
            while position < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            let length = position - start
            guard (1...18).contains(length), length == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            if position < bytes.endIndex {
                let next = bytes[position]
                if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
            }
            return value
        }

        /// Skips whitespace, then consumes `byte` if it is next.
        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.endIndex, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func skipWhitespace() {
            while position < bytes.endIndex {
                let byte = bytes[position]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                position += 1
            }
        }
    }
}

extension ArraySlice<UInt8> {
    /// Byte equality with `word`, compared with `memcmp` rather than element by element.
    fileprivate func matches(_ word: [UInt8]) -> Bool {
        guard count == word.count else { return false }
        guard count > 0 else { return true }
        return withUnsafeBufferPointer { bytes in
            word.withUnsafeBufferPointer { memcmp(bytes.baseAddress!, $0.baseAddress!, count) == 0 }
        }
    }
}
