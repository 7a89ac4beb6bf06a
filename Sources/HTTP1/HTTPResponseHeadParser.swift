/// The parsed head of a response: status line and header fields.
///
/// What an HTTP client (our upstream WebSocket handshake) needs from a server's answer
/// before it decides whether the connection changes protocol.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The status code with the reason phrase exactly as the server sent it.
    public var status: HTTPStatus
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(status: HTTPStatus, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:]) {
        self.status = status
        self.version = version
        self.headers = headers
    }
}

/// Parses a response head incrementally and strictly (RFC 9112 §4, §5).
///
/// The response-side twin of `HTTPHeadScanner` + `HTTPHeadParser`: the same CRLF-only,
/// no-obs-fold, token-name rules, so a server we talk to is read exactly as our own server
/// reads clients. Bytes are scanned once across calls; the size limit is enforced byte by
/// byte, so the outcome never depends on how the bytes were split into reads.
public struct HTTPResponseHeadParser: Sendable {
    /// Where the head stands after a call.
    public enum Outcome: Sendable, Hashable {
        case incomplete
        /// The head spans the first `length` bytes, the blank line included.
        case complete(HTTPResponseHead, length: Int)
        case failure(Failure)
    }

    /// Why a response head was refused; after one the connection cannot be trusted.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case malformed(String)
        case headTooLarge(limit: Int)
        case tooManyHeaderFields(limit: Int)

        public var description: String {
            switch self {
            case .malformed(let why): "malformed response head: \(why)"
            case .headTooLarge(let limit): "response head larger than \(limit) bytes"
            case .tooManyHeaderFields(let limit): "response head has more than \(limit) header fields"
            }
        }
    }

    public let maxHeadSize: Int
    public let maxHeaderCount: Int

    private var position = 0
    private var lineStart = 0
    private var inStatusLine = true
    private var failed: Failure?

    public init(maxHeadSize: Int = 16 * 1024, maxHeaderCount: Int = 100) {
        self.maxHeadSize = maxHeadSize
        self.maxHeaderCount = maxHeaderCount
    }

    /// Parses `bytes`, which start at the head's first byte and grow between calls.
    ///
    /// After `.complete` the parser is fresh again (drop `length` bytes before the next head);
    /// after `.failure` it keeps answering with the same failure.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        if let failed { return .failure(failed) }
        switch scan(bytes) {
        case .failure(let failure):
            failed = failure
            return .failure(failure)
        case .incomplete:
            return .incomplete
        case .complete(let length):
            self = HTTPResponseHeadParser(maxHeadSize: maxHeadSize, maxHeaderCount: maxHeaderCount)
            do throws(Failure) {
                let head = try Self.parseHead(
                    UnsafeBufferPointer(rebasing: bytes[..<length]),
                    maxHeaderCount: maxHeaderCount)
                return .complete(head, length: length)
            } catch {
                failed = error
                return .failure(error)
            }
        }
    }

    public mutating func parse(_ bytes: [UInt8]) -> Outcome {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    private enum ScanOutcome {
        case incomplete
        case complete(length: Int)
        case failure(Failure)
    }

    /// Finds the blank line that ends the head, refusing bare CR/LF and oversized heads.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> ScanOutcome {
        var index = position
        defer { position = index }
        while index < bytes.count {
            if index >= maxHeadSize { return .failure(.headTooLarge(limit: maxHeadSize)) }
            switch bytes[index] {
            case ASCII.lf:
                guard index > 0, bytes[index - 1] == ASCII.cr else { return .failure(.malformed("bare LF")) }
                if !inStatusLine && index - 1 == lineStart {
                    index += 1
                    return .complete(length: index)
                }
                inStatusLine = false
                lineStart = index + 1
            case ASCII.cr:
                guard index + 1 < bytes.count else { return .incomplete }
                guard bytes[index + 1] == ASCII.lf else { return .failure(.malformed("bare CR")) }
            default:
                break
            }
            index += 1
        }
        return .incomplete
    }

    /// Parses a complete head whose lines the scanner has already checked end in CRLF.
    private static func parseHead(
        _ bytes: UnsafeBufferPointer<UInt8>, maxHeaderCount: Int
    )
        throws(Failure) -> HTTPResponseHead
    {
        var lines: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == ASCII.cr {
                lines.append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        // The last line is the empty one that ends the head.
        guard let statusLine = lines.first else { throw .malformed("empty head") }
        let (version, status) = try parseStatusLine(statusLine)
        var headers = HTTPHeaders()
        for line in lines.dropFirst().dropLast() {
            guard headers.count < maxHeaderCount else { throw .tooManyHeaderFields(limit: maxHeaderCount) }
            let (name, value) = try parseField(line)
            headers.add(name, value)
        }
        return HTTPResponseHead(status: status, version: version, headers: headers)
    }

    /// `HTTP-version SP status-code SP [ reason-phrase ]`; the space before an empty reason
    /// may be missing, as some servers omit it and nothing else could be meant.
    private static func parseStatusLine(
        _ line: UnsafeBufferPointer<UInt8>
    )
        throws(Failure) -> (HTTPVersion, HTTPStatus)
    {
        guard line.count >= 12, line[8] == ASCII.space else { throw .malformed("invalid status line") }
        let version: HTTPVersion
        switch UnsafeBufferPointer(rebasing: line[..<8]) {
        case let text where text.elementsEqual("HTTP/1.1".utf8): version = .http1_1
        case let text where text.elementsEqual("HTTP/1.0".utf8): version = .http1_0
        case let text where text.starts(with: "HTTP/".utf8): throw .malformed("unsupported HTTP version")
        default: throw .malformed("invalid status line")
        }
        var code = 0
        for byte in line[9..<12] {
            guard byte >= 48 && byte <= 57 else { throw .malformed("invalid status code") }
            code = code * 10 + Int(byte - 48)
        }
        guard (100...599).contains(code) else { throw .malformed("status code \(code) out of range") }
        var reason = ""
        if line.count > 12 {
            guard line[12] == ASCII.space else { throw .malformed("invalid status code") }
            let reasonBytes = UnsafeBufferPointer(rebasing: line[13...])
            guard reasonBytes.allSatisfy(ASCII.isFieldValueChar) else {
                throw .malformed("invalid character in reason phrase")
            }
            reason = String(decoding: reasonBytes, as: UTF8.self)
        }
        return (version, HTTPStatus(code: code, reason: reason))
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(Failure) -> (String, String) {
        switch HTTPFieldLine.parse(line) {
        case .success(let field): return field
        case .failure(let invalid): throw .malformed(invalid.reason)
        }
    }
}
