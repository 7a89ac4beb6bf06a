import HTTP1
import Testing

/// `Expect: 100-continue`: the interim response is asked for once, and only while the
/// client is actually waiting for it.
@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    private static let head =
        "POST /fapi/v1/order HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"

    @Test func headAloneAsksForContinueOnceThenYieldsTheRequest() {
        var decoder = HTTPRequestDecoder()
        let head = bytes(Self.head)
        let first = head.withUnsafeBufferPointer { decoder.decode($0) }
        #expect(first.consumed == head.count)
        #expect(first.event == .sendContinue)
        // Nothing new arrived: no second 100 Continue.
        let again = [UInt8]().withUnsafeBufferPointer { decoder.decode($0) }
        #expect(again.consumed == 0)
        #expect(again.event == .needMoreData)

        var events: [Event] = []
        for byte in bytes("hello") {
            let (consumed, event) = [byte].withUnsafeBufferPointer { decoder.decode($0) }
            #expect(consumed == 1)
            if event != .needMoreData { events.append(event) }
        }
        #expect(events.count == 1)
        guard case .request(let request) = events.first else {
            Issue.record("expected a request, got \(events)")
            return
        }
        #expect(request.body == bytes("hello"))
        #expect(decoder.isIdle)
    }

    @Test func everySplitAfterTheHeadAsksExactlyOnce() {
        let input = bytes(Self.head + "hello")
        let headLength = Self.head.utf8.count
        for cuts in [[headLength], [headLength, headLength + 2], everyByte(input.count)] {
            let run = decode(input, cuts: cuts)
            #expect(run.events.count == 2, "cuts \(cuts)")
            #expect(run.events.first == .sendContinue)
            #expect(run.requests.first?.body == bytes("hello"))
        }
    }

    @Test func bodyArrivedWithTheHead() throws {
        let whole = decode(bytes(Self.head + "hello"))
        #expect(!whole.events.contains(.sendContinue))
        #expect(whole.requests.map(\.body) == [bytes("hello")])
        // Even one body byte means the client has stopped waiting.
        let partial = decode(bytes(Self.head + "he"), cuts: [], limits: HTTPLimits())
        #expect(partial.events.isEmpty)
    }

    @Test func chunkedBodyAsksForContinue() {
        let head = "POST / HTTP/1.1\r\nHost: gw\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n"
        let run = decode(bytes(head + "3\r\nabc\r\n0\r\n\r\n"), cuts: [head.utf8.count])
        #expect(run.events.first == .sendContinue)
        #expect(run.requests.map(\.body) == [bytes("abc")])
    }

    @Test func noContinueWithoutABody() {
        let head = "GET / HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\n\r\n"
        #expect(expectAccepted(head) != nil)
        #expect(
            expectAccepted("POST / HTTP/1.1\r\nHost: gw\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n") != nil)
    }

    @Test(arguments: ["something-else", "100-continue-ish", "100-continue, foo", ""])
    func otherExpectation(_ value: String) {
        expectRejected("POST / HTTP/1.1\r\nHost: gw\r\nExpect: \(value)\r\nContent-Length: 1\r\n\r\nx", status: 417)
    }

    @Test func http10ExpectationIsIgnored() {
        let request = expectAccepted("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx")
        #expect(request?.body == bytes("x"))
        #expect(expectAccepted("GET / HTTP/1.0\r\nExpect: something-else\r\n\r\n") != nil)
    }
}
