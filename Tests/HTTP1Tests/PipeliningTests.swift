import HTTP1
import Testing

/// Several requests on one connection, and independence from how the bytes are cut.
@Suite("Pipelining")
struct PipeliningTests {
    private static let three = bytes(
        "GET /fapi/v1/time HTTP/1.1\r\nHost: gw\r\n\r\n"
            + "POST /fapi/v1/order HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello"
            + "\r\n"  // a stray CRLF after a body is allowed before the next request-line
            + "PUT /fapi/v1/listenKey HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "2;x=y\r\nhi\r\n0\r\nX-T: 1\r\n\r\n")

    @Test func threeRequestsInOneBufferDecodeInOrder() {
        let run = decode(Self.three)
        #expect(run.events.count == 3)
        #expect(run.requests.map(\.method) == [.GET, .POST, .PUT])
        #expect(run.requests.map(\.path) == ["/fapi/v1/time", "/fapi/v1/order", "/fapi/v1/listenKey"])
        #expect(run.requests.map(\.body) == [[], bytes("hello"), bytes("hi")])
        #expect(run.unconsumed.isEmpty)
        #expect(run.decoder.isIdle)
    }

    @Test func oneEventPerCall() {
        var decoder = HTTPRequestDecoder()
        var buffer = Self.three
        var paths: [Substring] = []
        while true {
            let (consumed, event) = buffer.withUnsafeBufferPointer { decoder.decode($0) }
            buffer.removeFirst(consumed)
            if case .request(let request) = event {
                paths.append(request.path)
                // The rest of the buffer is untouched: the next request is still there.
                #expect(buffer.isEmpty || buffer.starts(with: bytes("POST")) || buffer.starts(with: bytes("\r\nPUT")))
            }
            if event == .needMoreData && consumed == 0 { break }
        }
        #expect(paths == ["/fapi/v1/time", "/fapi/v1/order", "/fapi/v1/listenKey"])
    }

    @Test func partialNextRequestIsLeftUnconsumed() {
        let tail = bytes("GET /next HTTP/1.1\r\nHo")
        let run = decode(Self.three + tail)
        #expect(run.requests.count == 3)
        #expect(run.unconsumed == tail)
        #expect(!run.decoder.isIdle)
    }

    @Test func failureAfterValidRequestsKeepsThem() {
        let run = decode(Self.three + bytes("BREW /pot HTTP/1.1\r\nHost: gw\r\n\r\nGET / HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(run.requests.count == 3)
        #expect(run.events.count == 4)
        #expect(run.failure?.status.code == 501)
    }

    /// Streams that follow `three`; the small limits put every limit's edge inside the stream.
    private static let tails: [(String, HTTPLimits)] = [
        ("", HTTPLimits()),
        ("POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY", HTTPLimits()),
        ("GET / HTTP/1.1\r\nHost: gw\r\nBad Name: 1\r\n\r\n", HTTPLimits()),
        ("GET /next HTTP/1.1\r\nHost: g", HTTPLimits()),
        (
            "GET / HTTP/1.1\r\nHost: gw\r\nX: " + String(repeating: "v", count: 80) + "\r\n\r\n",
            HTTPLimits(maxURILength: 24, maxHeadSize: 96)
        ),
        (
            "GET /" + String(repeating: "u", count: 60) + " HTTP/1.1\r\n\r\n",
            HTTPLimits(maxURILength: 24, maxHeadSize: 96)
        ),
        (
            String(repeating: "BREW", count: 15) + " / HTTP/1.1\r\nHost: gw\r\n\r\n",
            HTTPLimits(maxURILength: 24, maxHeadSize: 96)
        ),
        ("GET / HTTP/1.1\r\nHost: gw\r\nX: 1\r\nY: 2\r\n\r\n", HTTPLimits(maxHeaderCount: 2)),
        (
            "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n",
            HTTPLimits(maxBodySize: 5)
        ),
        (
            "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n1;abcdefghijklmnop\r\nx\r\n0\r\n\r\n",
            HTTPLimits(maxChunkLineLength: 16)
        ),
        (
            "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: 12345678\r\n\r\n",
            HTTPLimits(maxTrailerSize: 16)
        ),
    ]

    @Test(arguments: tails)
    func everySplitGivesTheSameEvents(after tail: String, limits: HTTPLimits) {
        let stream = Self.three + bytes(tail)
        let whole = decode(stream, limits: limits)
        for cuts in (1..<stream.count).map({ [$0] }) + [everyByte(stream.count)] {
            let split = decode(stream, cuts: cuts, limits: limits)
            #expect(split.events == whole.events, "cuts \(cuts)")
            if whole.failure == nil {  // after a failure the rest is never delivered
                #expect(split.unconsumed == whole.unconsumed, "cuts \(cuts)")
            }
        }
    }

    @Test func idleOnlyBetweenRequests() {
        var decoder = HTTPRequestDecoder()
        #expect(decoder.isIdle)
        let partial = bytes("GET / HTTP/1.1\r\n")
        _ = partial.withUnsafeBufferPointer { decoder.decode($0) }
        #expect(!decoder.isIdle)
        let whole = bytes("GET / HTTP/1.1\r\nHost: gw\r\n\r\n")
        let (consumed, event) = whole.withUnsafeBufferPointer { decoder.decode($0) }
        #expect(consumed == whole.count)
        guard case .request = event else {
            Issue.record("expected a request, got \(event)")
            return
        }
        #expect(decoder.isIdle)
    }
}
