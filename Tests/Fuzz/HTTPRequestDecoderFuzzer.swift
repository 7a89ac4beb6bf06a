// libFuzzer target for HTTPRequestDecoder, built by `scripts/fuzz http`.
//
// Compiled into one module with Sources/HTTP1/*.swift, so it sees internal API. The oracle
// is differential: the same bytes fed whole, split in two at a point chosen by the input,
// and one byte at a time must give the same events, because a connection's reads can be
// cut anywhere. A mismatch, an over-consumption or a decoder that recovers after failing
// is a crash, which libFuzzer reports.

/// Small limits, so every limit (431, 414, 413, chunk line, trailer) is reachable in a few
/// hundred bytes; the defaults are checked too.
private let limitSets = [
    HTTPLimits(
        maxURILength: 48, maxHeadSize: 192, maxHeaderCount: 6, maxBodySize: 4096,
        maxChunkLineLength: 24, maxTrailerSize: 64),
    HTTPLimits(),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let cut = size == 0 ? 0 : Int(input[0]) % (size + 1)
    for limits in limitSets {
        let whole = DecoderRun(input, pieces: [size], limits: limits)
        let split = DecoderRun(input, pieces: [cut, size - cut], limits: limits)
        let byteByByte = DecoderRun(input, pieces: Array(repeating: 1, count: size), limits: limits)
        for other in [split, byteByByte] {
            require(
                other.events == whole.events,
                "events depend on how the input was split:\n\(whole.events)\n\(other.events)")
            require(whole.failed || other.unconsumed == whole.unconsumed, "unconsumed bytes differ")
        }
    }
    return 0
}

/// `precondition` that names the broken invariant even in -O builds, where a failed
/// `precondition` traps without its message.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// One decoder fed `input` in pieces of the given sizes, as a connection would feed it.
private struct DecoderRun {
    /// Every event but `.needMoreData` and `.sendContinue`, whose presence legitimately
    /// depends on whether the body arrived with the head.
    private(set) var events: [HTTPRequestDecoder.Event] = []
    private(set) var unconsumed: [UInt8] = []
    private(set) var failed = false

    init(_ input: [UInt8], pieces: [Int], limits: HTTPLimits) {
        var decoder = HTTPRequestDecoder(limits: limits)
        var start = 0
        var awaitingBody = false  // a 100 Continue was asked for and its request has not come
        for length in pieces where !failed {
            unconsumed += input[start..<(start + length)]
            start += length
            while true {
                let (consumed, event) = unconsumed.withUnsafeBufferPointer { decoder.decode($0) }
                require(consumed >= 0 && consumed <= unconsumed.count, "consumed more than was given")
                unconsumed.removeFirst(consumed)
                switch event {
                case .needMoreData:
                    if consumed > 0 { continue }
                case .sendContinue:
                    require(!awaitingBody && consumed > 0, "100 Continue asked for twice")
                    awaitingBody = true
                    continue
                case .request(let request):
                    check(request, limits)
                    awaitingBody = false
                    events.append(event)
                    continue
                case .failure(let error):
                    events.append(event)
                    failed = true
                    checkStaysFailed(&decoder, error)
                }
                break
            }
        }
    }

    private func checkStaysFailed(_ decoder: inout HTTPRequestDecoder, _ error: HTTPParseError) {
        for bytes in [unconsumed, [], Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)] {
            let (consumed, event) = bytes.withUnsafeBufferPointer { decoder.decode($0) }
            require(consumed == 0 && event == .failure(error), "decoder recovered after a failure")
        }
        require(!decoder.isIdle, "failed decoder reports idle")
    }

    private func check(_ request: HTTPRequest, _ limits: HTTPLimits) {
        require(request.body.count <= limits.maxBodySize, "body over the limit")
        require(request.headers.count <= limits.maxHeaderCount, "too many header fields")
        require(request.head.target.utf8.count <= limits.maxURILength, "target over the limit")
        require(request.head.target.hasPrefix("/") || request.head.target == "*", "not origin-form")
        let framing = (request.headers.contains("content-length"), request.headers.contains("transfer-encoding"))
        require(framing != (true, true), "both Content-Length and Transfer-Encoding")
        if request.head.version == .http1_1 {
            require(request.headers.values(for: "host").count == 1, "HTTP/1.1 request without one Host")
        }
    }
}
