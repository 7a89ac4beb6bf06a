import HTTP1
import Testing

/// Each size limit, at its boundary and past it, whole and in pieces.
@Suite("Limits")
struct LimitTests {
    /// A head of exactly `size` bytes made of a request line, Host, and padding fields.
    private static func head(size: Int, fields: Int = 20) -> String {
        var head = "GET / HTTP/1.1\r\nHost: gw\r\n"
        let fixed = head.utf8.count + 2 + fields * "X-Pad-00: \r\n".utf8.count
        precondition(fixed <= size)
        for index in 0..<fields {
            let share = (size - fixed) / fields + (index < (size - fixed) % fields ? 1 : 0)
            head += "X-Pad-\(index < 10 ? "0" : "")\(index): \(String(repeating: "a", count: share))\r\n"
        }
        head += "\r\n"
        precondition(head.utf8.count == size)
        return head
    }

    @Test func headAtTheLimitIsAccepted() {
        #expect(expectAccepted(Self.head(size: 16 * 1024)) != nil)
    }

    @Test func headOverTheLimit() {
        expectRejected(Self.head(size: 16 * 1024 + 1), status: 431)
        expectRejected(Self.head(size: 20 * 1024), status: 431)
    }

    @Test func incompleteHeadOverTheLimitInSmallPieces() {
        var head = Self.head(size: 20 * 1024)
        head.removeLast(2)  // never ends
        let input = bytes(head)
        let run = decode(input, cuts: Array(stride(from: 100, to: input.count, by: 100)))
        #expect(run.failure?.status.code == 431)
        #expect(run.events.count == 1)
        #expect(run.unconsumed.count < input.count, "failed before the last piece arrived")
    }

    @Test func hundredFieldsAreAccepted() throws {
        let fields = (1..<100).map { "X-\($0): v\r\n" }.joined()
        let request = try #require(expectAccepted("GET / HTTP/1.1\r\nHost: gw\r\n\(fields)\r\n"))
        #expect(request.headers.count == 100)
    }

    @Test func moreThanHundredFields() {
        let fields = (1...100).map { "X-\($0): v\r\n" }.joined()
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\n\(fields)\r\n", status: 431)
    }

    @Test func uriAtTheLimitIsAccepted() throws {
        let target = "/" + String(repeating: "a", count: 8 * 1024 - 1)
        let request = try #require(expectAccepted("GET \(target) HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.head.target == target)
    }

    @Test func uriOverTheLimit() {
        let target = "/" + String(repeating: "a", count: 8 * 1024)
        expectRejected("GET \(target) HTTP/1.1\r\nHost: gw\r\n\r\n", status: 414)
    }

    @Test func uriOverTheLimitWhileRequestLineIsIncomplete() {
        let input = bytes("GET /" + String(repeating: "a", count: 9 * 1024))
        let run = decode(input, cuts: Array(stride(from: 512, to: input.count, by: 512)))
        #expect(run.failure?.status.code == 414)
        #expect(run.unconsumed.count < input.count, "failed before the last piece arrived")
    }

    @Test func contentLengthAtTheBodyLimit() throws {
        let limits = HTTPLimits(maxBodySize: 16)
        let body = String(repeating: "b", count: 16)
        let request = try #require(
            expectAccepted(
                "POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: 16\r\n\r\n\(body)",
                limits: limits))
        #expect(request.body.count == 16)
    }

    @Test(arguments: ["17", "1048577", "999999999999999999", "99999999999999999999999"])
    func contentLengthOverTheBodyLimit(_ length: String) {
        expectRejected(
            "POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: \(length)\r\n\r\n", status: 413,
            limits: HTTPLimits(maxBodySize: 16))
    }

    @Test func defaultBodyLimitIsOneMebibyte() {
        expectRejected("POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: 1048577\r\n\r\n", status: 413)
    }

    @Test func chunkedBodyAtTheLimit() throws {
        let request = try #require(
            expectAccepted(
                "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n",
                limits: HTTPLimits(maxBodySize: 16)))
        #expect(request.body.count == 16)
    }

    @Test func chunkedBodyWhoseTotalExceedsTheLimit() {
        let limits = HTTPLimits(maxBodySize: 16)
        expectRejected(
            "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n12345678\r\n9\r\n123456789\r\n0\r\n\r\n", status: 413, limits: limits)
        // Refused at the size line: the oversized chunk's data is never waited for.
        expectRejected(
            "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFF\r\n",
            status: 413, limits: limits)
    }

    @Test func chunkSizeLineTooLong() {
        let limits = HTTPLimits(maxChunkLineLength: 16)
        let prefix = "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(expectAccepted(prefix + "1;abcdefghijkl\r\nx\r\n0\r\n\r\n", limits: limits) != nil)  // 16 with CRLF
        expectRejected(prefix + "1;abcdefghijklm\r\nx\r\n0\r\n\r\n", status: 400, limits: limits)
        expectRejected(prefix + "1;" + String(repeating: "e", count: 100), status: 400, limits: limits)
    }

    @Test func trailerSectionTooLarge() {
        let limits = HTTPLimits(maxTrailerSize: 16)
        let prefix = "POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n"
        // The section counts its final empty line: 14 + 2 bytes fit, 15 + 2 do not.
        #expect(expectAccepted(prefix + "X-T: 1234567\r\n\r\n", limits: limits) != nil)
        expectRejected(prefix + "X-T: 12345678\r\n\r\n", status: 431, limits: limits)
    }

    @Test func customLimitsApply() {
        let limits = HTTPLimits(maxURILength: 8, maxHeadSize: 64, maxHeaderCount: 2)
        #expect(expectAccepted("GET /1234567 HTTP/1.1\r\nHost: gw\r\n\r\n", limits: limits) != nil)
        expectRejected("GET /12345678 HTTP/1.1\r\nHost: gw\r\n\r\n", status: 414, limits: limits)
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\nA: 1\r\nB: 2\r\n\r\n", status: 431, limits: limits)
        expectRejected(
            "GET / HTTP/1.1\r\nHost: gw\r\nA: " + String(repeating: "a", count: 60) + "\r\n\r\n",
            status: 431, limits: limits)
    }
}
