/// Finds where a request head ends, one read at a time, without rescanning old bytes.
///
/// It also rejects bare CR and bare LF as soon as they arrive and enforces the size
/// limits byte by byte, complete head or not, so a client cannot make the server buffer
/// an unbounded head (or spend quadratic time on one sent a byte at a time), and the
/// outcome never depends on how the bytes were split into reads.
struct HTTPHeadScanner: Sendable {
    enum Outcome: Equatable {
        case incomplete
        /// The head spans the first `length` bytes, the blank line included.
        case complete(length: Int)
        case failure(HTTPParseError)
    }

    private var position = 0
    private var lineStart = 0
    private var inRequestLine = true

    /// True until the first byte of a head has been scanned.
    var isFresh: Bool { position == 0 }

    /// Scans `bytes`, which start at the head's first byte and grow between calls.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) -> Outcome {
        var index = position
        defer { position = index }
        while index < bytes.count {
            if index >= limits.maxHeadSize { return .failure(.headerFieldsTooLarge) }
            switch bytes[index] {
            case ASCII.lf:
                guard index > 0, bytes[index - 1] == ASCII.cr else {
                    return .failure(.badRequest("bare LF in request head"))
                }
                if !inRequestLine && index - 1 == lineStart {
                    index += 1
                    return .complete(length: index)
                }
                inRequestLine = false
                lineStart = index + 1
            case ASCII.cr:
                guard index + 1 < bytes.count else { return .incomplete }
                guard bytes[index + 1] == ASCII.lf else {
                    return .failure(.badRequest("bare CR in request head"))
                }
            default:
                // A request line this long can only be long because of its target.
                if inRequestLine && index >= limits.maxURILength + 32 { return .failure(.uriTooLong) }
            }
            index += 1
        }
        return .incomplete
    }
}
