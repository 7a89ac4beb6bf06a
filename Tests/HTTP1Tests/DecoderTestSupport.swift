import HTTP1
import Testing

typealias Event = HTTPRequestDecoder.Event

/// What a decoder said about one byte stream, and the decoder as it was left.
struct DecodeRun {
    /// Every event except `.needMoreData`, in order; a failure is recorded once.
    var events: [Event]
    var decoder: HTTPRequestDecoder
    /// Bytes delivered but not consumed.
    var unconsumed: [UInt8]

    var requests: [HTTPRequest] {
        events.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    var failure: HTTPParseError? {
        events.lazy.compactMap { if case .failure(let error) = $0 { error } else { nil } }.first
    }
}

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Cut points that deliver `count` bytes one at a time.
func everyByte(_ count: Int) -> [Int] {
    count > 1 ? Array(1..<count) : []
}

/// Feeds `input` to a fresh decoder the way a connection would: in pieces cut at `cuts`,
/// appending each piece to what is still unconsumed and calling `decode` until it needs
/// more data without consuming anything. Stops feeding at the first failure.
func decode(
    _ input: [UInt8], cuts: [Int] = [], limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> DecodeRun {
    var decoder = HTTPRequestDecoder(limits: limits)
    var buffer: [UInt8] = []
    var events: [Event] = []
    var start = 0
    for end in cuts.filter({ $0 > 0 && $0 < input.count }).sorted() + [input.count] where end > start {
        buffer += input[start..<end]
        start = end
        if !drain(&decoder, &buffer, into: &events, sourceLocation: sourceLocation) { break }
    }
    return DecodeRun(events: events, decoder: decoder, unconsumed: buffer)
}

/// Decodes until the decoder settles; false once it has failed.
private func drain(
    _ decoder: inout HTTPRequestDecoder, _ buffer: inout [UInt8], into events: inout [Event],
    sourceLocation: SourceLocation
) -> Bool {
    // Every call but the last consumes a byte or yields an event, so this bounds a correct decoder.
    for _ in 0...(2 * buffer.count + 8) {
        let (consumed, event) = buffer.withUnsafeBufferPointer { decoder.decode($0) }
        guard consumed >= 0 && consumed <= buffer.count else {
            Issue.record("consumed \(consumed) of \(buffer.count) bytes", sourceLocation: sourceLocation)
            return false
        }
        buffer.removeFirst(consumed)
        if event != .needMoreData { events.append(event) }
        if case .failure = event { return false }
        if event == .needMoreData && consumed == 0 { return true }
    }
    Issue.record("decoder never settled", sourceLocation: sourceLocation)
    return false
}

/// Expects `input`, whole and byte by byte, to be refused with `status` before any request,
/// and the decoder to keep refusing afterwards.
func expectRejected(
    _ input: [UInt8], status: Int, limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for cuts in [[], everyByte(input.count)] {
        var run = decode(input, cuts: cuts, limits: limits, sourceLocation: sourceLocation)
        guard let error = run.failure, run.events.count == 1 else {
            Issue.record(
                "expected one failure (\(cuts.isEmpty ? "whole" : "byte by byte")), got \(run.events)",
                sourceLocation: sourceLocation)
            continue
        }
        #expect(error.status.code == status, "\(error.message)", sourceLocation: sourceLocation)
        expectStaysFailed(&run.decoder, with: error, sourceLocation: sourceLocation)
    }
}

func expectRejected(
    _ text: String, status: Int, limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectRejected(bytes(text), status: status, limits: limits, sourceLocation: sourceLocation)
}

/// Expects a failed decoder to answer every later call, even with a valid request, with the same error.
func expectStaysFailed(
    _ decoder: inout HTTPRequestDecoder, with error: HTTPParseError,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for input in [[], bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")] {
        let (consumed, event) = input.withUnsafeBufferPointer { decoder.decode($0) }
        #expect(consumed == 0, sourceLocation: sourceLocation)
        #expect(event == .failure(error), sourceLocation: sourceLocation)
    }
}

/// Expects `text`, whole and byte by byte, to decode to exactly one request, and returns it.
@discardableResult
func expectAccepted(
    _ text: String, limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPRequest? {
    expectAccepted(bytes(text), limits: limits, sourceLocation: sourceLocation)
}

@discardableResult
func expectAccepted(
    _ input: [UInt8], limits: HTTPLimits = HTTPLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPRequest? {
    let whole = decode(input, limits: limits, sourceLocation: sourceLocation)
    let split = decode(input, cuts: everyByte(input.count), limits: limits, sourceLocation: sourceLocation)
    guard whole.requests.count == 1, whole.events.count == 1 else {
        Issue.record("expected one request, got \(whole.events)", sourceLocation: sourceLocation)
        return nil
    }
    #expect(whole.unconsumed.isEmpty, sourceLocation: sourceLocation)
    #expect(split.events == whole.events, "byte by byte differs from whole", sourceLocation: sourceLocation)
    #expect(whole.decoder.isIdle, sourceLocation: sourceLocation)
    return whole.requests[0]
}
