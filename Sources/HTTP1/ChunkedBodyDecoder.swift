/// Decodes a `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1).
///
/// Chunk sizes are hexadecimal digits only, bounded in digits and in total against the body
/// limit; extensions must follow the `chunk-ext` grammar and are then ignored; trailer fields
/// must be valid field lines and are then discarded, so bytes that are not a trailer (a second
/// request, say) end the stream instead of being swallowed. Public for the REST client, which
/// reads chunked responses with it.
public struct ChunkedBodyDecoder: Sendable {
    public enum Outcome: Equatable {
        case needMoreData
        case complete
        case failure(HTTPParseError)
    }

    private enum State: Equatable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailer(used: Int)
        case done
    }

    private var state = State.sizeLine

    public init() {}

    /// Consumes what it can of `bytes`, appending chunk data to `body` (the body so far);
    /// returns how many bytes it used and where it stands.
    public mutating func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8],
        limits: HTTPLimits
    ) -> (consumed: Int, outcome: Outcome) {
        var offset = 0
        while true {
            let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
            switch state {
            case .done:
                return (offset, .complete)
            case .sizeLine:
                switch Self.line(in: rest, limit: limits.maxChunkLineLength) {
                case .incomplete: return (offset, .needMoreData)
                case .tooLong: return (offset, .failure(.badRequest("chunk-size line too long")))
                case .failure(let error): return (offset, .failure(error))
                case .line(let line, let length):
                    switch Self.chunkSize(line) {
                    case .failure(let error): return (offset, .failure(error))
                    case .success(let size):
                        guard size <= limits.maxBodySize - body.count else {
                            return (offset, .failure(.contentTooLarge))
                        }
                        offset += length
                        state = size == 0 ? .trailer(used: 0) : .data(remaining: size)
                    }
                }
            case .data(let remaining):
                let take = min(remaining, rest.count)
                guard take > 0 else { return (offset, .needMoreData) }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<take]))
                offset += take
                state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                guard rest.count >= 2 else { return (offset, .needMoreData) }
                guard rest[0] == ASCII.cr && rest[1] == ASCII.lf else {
                    return (offset, .failure(.badRequest("chunk data not followed by CRLF")))
                }
                offset += 2
                state = .sizeLine
            case .trailer(let used):
                switch Self.line(in: rest, limit: limits.maxTrailerSize - used) {
                case .incomplete: return (offset, .needMoreData)
                case .tooLong: return (offset, .failure(.headerFieldsTooLarge))
                case .failure(let error): return (offset, .failure(error))
                case .line(let line, let length):
                    offset += length
                    if line.isEmpty {
                        state = .done
                    } else if case .failure(let invalid) = HTTPFieldLine.parse(line) {
                        return (offset, .failure(.badRequest("trailer: " + invalid.reason)))
                    } else {
                        state = .trailer(used: used + length)
                    }
                }
            }
        }
    }

    private enum LineOutcome {
        case incomplete
        case line(UnsafeBufferPointer<UInt8>, length: Int)
        case tooLong
        case failure(HTTPParseError)
    }

    /// The first CRLF-terminated line of `bytes`, no longer than `limit` bytes in all.
    private static func line(in bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> LineOutcome {
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case ASCII.lf:
                return .failure(.badRequest("bare LF in chunked body"))
            case ASCII.cr:
                guard index + 2 <= limit else { return .tooLong }
                guard index + 1 < bytes.count else { return .incomplete }
                guard bytes[index + 1] == ASCII.lf else { return .failure(.badRequest("bare CR in chunked body")) }
                return .line(UnsafeBufferPointer(rebasing: bytes[..<index]), length: index + 2)
            default:
                index += 1
                if index + 2 > limit { return .tooLong }
            }
        }
        return .incomplete
    }

    /// Parses `chunk-size [ chunk-ext ]`; at most 15 hex digits, so the sum cannot overflow.
    private static func chunkSize(_ line: UnsafeBufferPointer<UInt8>) -> Result<Int, HTTPParseError> {
        var size = 0
        var digits = 0
        while digits < line.count, let value = ASCII.hexValue(line[digits]) {
            digits += 1
            guard digits <= 15 else { return .failure(.badRequest("chunk size too large")) }
            size = size << 4 | value
        }
        guard digits > 0, isChunkExtensions(UnsafeBufferPointer(rebasing: line[digits...])) else {
            return .failure(.badRequest("invalid chunk size"))
        }
        return .success(size)
    }

    /// RFC 9112 §7.1.1: `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`, where a
    /// name is a token and a value a token or a quoted-string.
    static func isChunkExtensions(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func skipWhitespace() { while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 } }
        func token() -> Bool {
            let start = index
            while index < bytes.count, ASCII.isTokenChar(bytes[index]) { index += 1 }
            return index > start
        }
        func quotedString() -> Bool {
            index += 1  // the opening quote
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count, ASCII.isFieldValueChar(bytes[index + 1]) else { return false }
                    index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                case let byte where ASCII.isFieldValueChar(byte):
                    index += 1
                default:
                    return false
                }
            }
            return false
        }
        while index < bytes.count {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == ASCII.semicolon else { return false }
            index += 1
            skipWhitespace()
            guard token() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { return false }
            guard bytes[index] == UInt8(ascii: "\"") ? quotedString() : token() else { return false }
        }
        return true
    }
}
