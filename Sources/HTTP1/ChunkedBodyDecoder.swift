/// Decodes a `Transfer-Encoding: chunked` body incrementally (RFC 9112 §7.1).
///
/// Chunk sizes are bounded in digits and in total against the body limit, extensions
/// are length-limited and ignored, trailer fields are read and discarded. Public for the
/// REST client, which reads chunked responses with it.
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
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8],
                         limits: HTTPLimits) -> (consumed: Int, outcome: Outcome) {
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
                        guard size <= limits.maxBodySize - body.count else { return (offset, .failure(.contentTooLarge)) }
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
                    } else if let first = line.first, ASCII.isWhitespace(first) {
                        return (offset, .failure(.badRequest("obsolete line folding in trailer field")))
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
        guard digits > 0 else { return .failure(.badRequest("invalid chunk size")) }
        let extensions = UnsafeBufferPointer(rebasing: line[digits...])
        if let first = extensions.first {
            guard first == ASCII.semicolon || ASCII.isWhitespace(first),
                  extensions.allSatisfy(ASCII.isFieldValueChar)
            else { return .failure(.badRequest("invalid chunk size")) }
        }
        return .success(size)
    }
}
