/// Turns the bytes of one connection into requests, incrementally.
///
/// It owns no I/O: the caller hands it whatever has arrived and removes the bytes it
/// reports as consumed. One call yields at most one event, so the caller stays in charge
/// of ordering (pipelined requests are answered in the order they were decoded).
public struct HTTPRequestDecoder: Sendable {
    public enum Event: Sendable, Hashable {
        /// Nothing more can be decoded until more bytes arrive.
        case needMoreData
        /// The head asked for `100-continue` and its body has not started: send `100 Continue`.
        case sendContinue
        case request(HTTPRequest)
        /// The stream is unusable; answer with the error's status and close.
        case failure(HTTPParseError)
    }

    private enum Body {
        case fixed(remaining: Int)
        case chunked(ChunkedBodyDecoder)
    }

    private enum State {
        case head(HTTPHeadScanner)
        case body(HTTPRequestHead, Body)
        case failed(HTTPParseError)
    }

    public let limits: HTTPLimits
    private var state = State.head(HTTPHeadScanner())
    /// The body read so far; kept out of `state` so it grows in place instead of being copied on every read.
    private var collected: [UInt8] = []

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Bytes of the body being read, received so far.
    public var bufferedBytes: Int { collected.count }

    /// True between requests: no byte of the next request has been consumed or scanned.
    public var isIdle: Bool {
        if case .head(let scanner) = state { return scanner.isFresh }
        return false
    }

    /// Decodes from `bytes` (everything received and not yet consumed).
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (consumed: Int, event: Event) {
        switch state {
        case .failed(let error):
            return (0, .failure(error))
        case .head(var scanner):
            if scanner.isFresh, bytes.count >= 2, bytes[0] == ASCII.cr, bytes[1] == ASCII.lf {
                return (2, .needMoreData)  // RFC 9112 §2.2: ignore empty lines before a request-line
            }
            let outcome = scanner.scan(bytes, limits: limits)
            state = .head(scanner)
            switch outcome {
            case .incomplete:
                return (0, .needMoreData)
            case .failure(let error):
                return fail(error, consumed: 0)
            case .complete(let length):
                switch HTTPHeadParser.parse(UnsafeBufferPointer(rebasing: bytes[..<length]), limits: limits) {
                case .failure(let error):
                    return fail(error, consumed: 0)
                case .success(let parsed):
                    return startBody(parsed, after: length, in: bytes)
                }
            }
        case .body(let head, let body):
            return continueBody(head, body, bytes, consumedBefore: 0)
        }
    }

    private mutating func startBody(
        _ parsed: HTTPHeadParser.Parsed, after headLength: Int,
        in bytes: UnsafeBufferPointer<UInt8>
    ) -> (consumed: Int, event: Event) {
        let body: Body
        switch parsed.framing {
        case .none:
            state = .head(HTTPHeadScanner())
            return (headLength, .request(HTTPRequest(head: parsed.head)))
        case .length(let length):
            // Reserve what a first read can bring, not what the client claims: a body promised and
            // never sent must not hold memory it did not deliver.
            collected.reserveCapacity(min(length, 64 * 1024))
            body = .fixed(remaining: length)
        case .chunked:
            body = .chunked(ChunkedBodyDecoder())
        }
        if parsed.expectsContinue && bytes.count == headLength {
            state = .body(parsed.head, body)
            return (headLength, .sendContinue)
        }
        return continueBody(
            parsed.head, body, UnsafeBufferPointer(rebasing: bytes[headLength...]),
            consumedBefore: headLength)
    }

    private mutating func continueBody(
        _ head: HTTPRequestHead, _ body: Body, _ bytes: UnsafeBufferPointer<UInt8>,
        consumedBefore: Int
    ) -> (consumed: Int, event: Event) {
        switch body {
        case .fixed(let remaining):
            let take = min(remaining, bytes.count)
            collected.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<take]))
            if take == remaining {
                return finish(head, consumed: consumedBefore + take)
            }
            state = .body(head, .fixed(remaining: remaining - take))
            return (consumedBefore + take, .needMoreData)
        case .chunked(var decoder):
            let (used, outcome) = decoder.decode(bytes, into: &collected, limits: limits)
            switch outcome {
            case .needMoreData:
                state = .body(head, .chunked(decoder))
                return (consumedBefore + used, .needMoreData)
            case .complete:
                return finish(head, consumed: consumedBefore + used)
            case .failure(let error):
                return fail(error, consumed: consumedBefore + used)
            }
        }
    }

    private mutating func finish(_ head: HTTPRequestHead, consumed: Int) -> (consumed: Int, event: Event) {
        let request = HTTPRequest(head: head, body: collected)
        collected = []
        state = .head(HTTPHeadScanner())
        return (consumed, .request(request))
    }

    private mutating func fail(_ error: HTTPParseError, consumed: Int) -> (consumed: Int, event: Event) {
        state = .failed(error)
        collected = []
        return (consumed, .failure(error))
    }
}
