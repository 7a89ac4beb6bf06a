import HTTP1
import Testing

/// Content-Length, chunked coding, and the ambiguities request smuggling relies on.
@Suite("Message framing")
struct MessageFramingTests {
    private static let post = "POST /fapi/v1/order HTTP/1.1\r\nHost: gw\r\n"

    @Test func contentLengthBody() throws {
        let request = try #require(expectAccepted(Self.post + "Content-Length: 11\r\n\r\nsymbol=ETH&"))
        #expect(request.method == .POST)
        #expect(request.body == bytes("symbol=ETH&"))
    }

    @Test func contentLengthZero() throws {
        let request = try #require(expectAccepted(Self.post + "Content-Length: 0\r\n\r\n"))
        #expect(request.body.isEmpty)
    }

    @Test func contentLengthWithLeadingZeros() throws {
        let request = try #require(expectAccepted(Self.post + "Content-Length: 003\r\n\r\nabc"))
        #expect(request.body == bytes("abc"))
    }

    @Test func incompleteBodyWaits() {
        let run = decode(bytes(Self.post + "Content-Length: 5\r\n\r\nabc"))
        #expect(run.events.isEmpty)
        #expect(run.unconsumed.isEmpty)  // body bytes are taken as they come
        #expect(!run.decoder.isIdle)
    }

    @Test(arguments: [
        "Content-Length: 5\r\nContent-Length: 6",
        "Content-Length: 5\r\nContent-Length: 5",
        "Content-Length: 5\r\ncontent-length: 5",
    ])
    func repeatedContentLength(_ fields: String) {
        expectRejected(Self.post + fields + "\r\n\r\nhello!", status: 400)
    }

    @Test(arguments: ["+5", "-1", "1,1", "5, 5", "", " ", "0x5", "5 5", "1e3", "５", "5;"])
    func invalidContentLength(_ value: String) {
        expectRejected(Self.post + "Content-Length: \(value)\r\n\r\nhello", status: 400)
    }

    @Test(arguments: [
        "Content-Length: 5\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 5",
        "Content-Length: 0\r\nTransfer-Encoding: chunked",
    ])
    func contentLengthWithTransferEncoding(_ fields: String) {
        expectRejected(Self.post + fields + "\r\n\r\n0\r\n\r\n", status: 400)
    }

    @Test(arguments: ["gzip", "chunked, gzip", "gzip, chunked", "identity", "xchunked", "chunked;q=1", "chunked,"])
    func transferCodingOtherThanChunked(_ coding: String) {
        expectRejected(Self.post + "Transfer-Encoding: \(coding)\r\n\r\n0\r\n\r\n", status: 400)
    }

    @Test func twoTransferEncodingFields() {
        expectRejected(
            Self.post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            status: 400)
    }

    @Test func transferEncodingInHTTP10() {
        expectRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400)
    }

    @Test func smugglingVariantsOfTheTransferEncodingName() {
        expectRejected(Self.post + "Transfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", status: 400)
        expectRejected(Self.post + "Content-Length: 3\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400)
        expectRejected(Self.post + "Transfer-Encoding: \u{B}chunked\r\n\r\n0\r\n\r\n", status: 400)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let input =
            Self.post + "Transfer-Encoding: chunked\r\n\r\n"
            + "4;ext=1\r\nWiki\r\n5 ; name=\"quoted value\"\r\npedia\r\nA\r\n 0123456\r\n\r\n"
            + "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
        let request = try #require(expectAccepted(input))
        #expect(request.body == bytes("Wikipedia 0123456\r\n"))
        #expect(request.headers["x-checksum"] == nil)  // trailers are discarded, not merged
    }

    @Test func chunkedThenNextRequestStartsAfterTrailers() {
        let input =
            Self.post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: gw\r\n\r\n"
        let run = decode(bytes(input))
        #expect(run.requests.map(\.body) == [bytes("abc"), []])
        #expect(run.requests.map(\.path) == ["/fapi/v1/order", "/next"])
    }

    @Test func emptyChunkedBody() throws {
        let request = try #require(expectAccepted(Self.post + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
        #expect(request.body.isEmpty)
    }

    @Test(arguments: ["zz", "", "-1", " 5", "0x5", "5!", "g", ";ext"])
    func badChunkSize(_ size: String) {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n", status: 400)
    }

    @Test(arguments: ["0000000000000001", "FFFFFFFFFFFFFFFF", "10000000000000000", "000000000000000000000005"])
    func chunkSizeWithSixteenOrMoreDigits(_ size: String) {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n\(size)\r\nx\r\n0\r\n\r\n", status: 400)
    }

    @Test(arguments: ["abcX\r\n", "abc\n0\r\n\r\n", "abc\r0\r\n\r\n", "abcd\r\n0\r\n\r\n", "ab\r\n\r\n0\r\n\r\n"])
    func chunkDataNotFollowedByCRLF(_ data: String) {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n3\r\n\(data)", status: 400)
    }

    @Test(arguments: [
        "3\nabc\r\n0\r\n\r\n",  // size line ends in LF
        "3\r\nabc\r\n0\n\r\n",  // last-chunk ends in LF
        "3\r\nabc\r\n0\r\nX-T: 1\n\r\n",  // trailer ends in LF
        "3\r\nabc\r\n0\r\n\n",  // final empty line is a bare LF
        "3;a\rb\r\nabc\r\n0\r\n\r\n",  // bare CR in an extension
    ])
    func bareLineEndingsInChunkedFraming(_ body: String) {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n" + body, status: 400)
    }

    @Test(arguments: ["0\r\nX-T: 1\r\n folded\r\n\r\n", "0\r\n\tX-T: 1\r\n\r\n"])
    func obsoleteLineFoldingInTrailer(_ body: String) {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n" + body, status: 400)
    }

    @Test func invalidCharacterInChunkExtension() {
        expectRejected(Self.post + "Transfer-Encoding: chunked\r\n\r\n3;a=\u{1}\r\nabc\r\n0\r\n\r\n", status: 400)
    }

    /// The classic CL.TE desynchronisation: a front end using Content-Length would forward
    /// the smuggled prefix as part of the body. Here the whole stream is refused.
    @Test func contentLengthTransferEncodingSmuggling() {
        let run = decode(
            bytes(
                Self.post + "Content-Length: 35\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(run.requests.isEmpty)
        #expect(run.failure?.status == .badRequest)
    }
}
