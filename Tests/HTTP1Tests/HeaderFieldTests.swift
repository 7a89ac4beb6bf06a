import HTTP1
import Testing

@Suite("Header fields")
struct HeaderFieldTests {
    @Test func fieldsKeepOrderAndTrimOptionalWhitespace() throws {
        let request = try #require(
            expectAccepted(
                "GET / HTTP/1.1\r\nHost: gw\r\nX-A:1\r\nx-a: \t two words \t\r\nX-Empty:\r\nX-Obs: caf\u{E9}\r\n\r\n"))
        #expect(Array(request.headers.map(\.name)) == ["Host", "X-A", "x-a", "X-Empty", "X-Obs"])
        #expect(request.headers.values(for: "X-A") == ["1", "two words"])
        #expect(request.headers["HOST"] == "gw")
        #expect(request.headers["x-empty"] == "")
        #expect(request.headers["x-obs"] == "caf\u{E9}")
    }

    @Test(arguments: [" folded", "\tfolded"])
    func obsoleteLineFolding(_ continuation: String) {
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\nX-A: one\r\n\(continuation)\r\n\r\n", status: 400)
    }

    @Test func firstFieldStartingWithWhitespace() {
        expectRejected("GET / HTTP/1.1\r\n Host: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: gw\rX-A: 1\r\n\r\n",  // bare CR between fields
        "GET / HTTP/1.1\r\nHost: g\rw\r\n\r\n",  // bare CR inside a value
        "GET / HTTP/1.1\r\nHost: gw\nX-A: 1\r\n\r\n",  // bare LF between fields
        "GET / HTTP/1.1\r\nHost: gw\r\n\n",  // bare LF as the empty line
        "GET / HTTP/1.1\r\nHost: gw\n\n",
        "GET / HTTP/1.1\r\nHost: gw\r\n\r\r\n",  // CR CR LF
    ])
    func bareCarriageReturnOrLineFeed(_ head: String) {
        expectRejected(head, status: 400)
    }

    @Test(arguments: ["Ho(st", "X\"A", "X@A", "X/A", "X[A]", "X{A}", "X=A", "caf\u{E9}", "X\u{1}A"])
    func invalidNameCharacter(_ name: String) {
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\n\(name): v\r\n\r\n", status: 400)
    }

    @Test(arguments: ["Host : gw", "Host\t: gw", "X A: 1"])
    func whitespaceInOrBeforeColon(_ line: String) {
        expectRejected("GET / HTTP/1.1\r\n\(line)\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: [": empty-name", "no-colon", "X-A"])
    func fieldWithoutNameOrColon(_ line: String) {
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\n\(line)\r\n\r\n", status: 400)
    }

    @Test(arguments: ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1B}", "\u{1F}", "\u{7F}"])
    func controlCharacterInValue(_ control: String) {
        expectRejected("GET / HTTP/1.1\r\nHost: gw\r\nX-A: a\(control)b\r\n\r\n", status: 400)
    }

    @Test func tabInsideValueIsAllowed() throws {
        let request = try #require(expectAccepted("GET / HTTP/1.1\r\nHost: gw\r\nX-A: a\tb\r\n\r\n"))
        #expect(request.headers["x-a"] == "a\tb")
    }

    @Test func missingHostInHTTP11() {
        expectRejected("GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", status: 400)
    }

    @Test(arguments: ["Host: a\r\nHost: b", "Host: a\r\nHost: a", "Host: a\r\nhost: a"])
    func duplicateHost(_ fields: String) {
        expectRejected("GET / HTTP/1.1\r\n\(fields)\r\n\r\n", status: 400)
        expectRejected("GET / HTTP/1.0\r\n\(fields)\r\n\r\n", status: 400)
    }

    @Test(arguments: [
        ("HTTP/1.1", "", true),
        ("HTTP/1.1", "Connection: close\r\n", false),
        ("HTTP/1.1", "Connection: CLOSE\r\n", false),
        ("HTTP/1.1", "Connection: keep-alive, close\r\n", false),
        ("HTTP/1.1", "Connection: upgrade\r\nConnection: close\r\n", false),
        ("HTTP/1.1", "Connection: keep-alive\r\n", true),
        ("HTTP/1.1", "Connection: closed\r\n", true),
        ("HTTP/1.0", "", false),
        ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ("HTTP/1.0", "Connection: Keep-Alive\r\n", true),
        ("HTTP/1.0", "Connection: close\r\n", false),
    ])
    func keepAlive(version: String, fields: String, keepAlive: Bool) throws {
        let request = try #require(expectAccepted("GET / \(version)\r\nHost: gw\r\n\(fields)\r\n"))
        #expect(request.head.keepAlive == keepAlive)
    }

    @Test func headParserReportsFraming() throws {
        func parse(_ text: String) -> Result<HTTPHeadParser.Parsed, HTTPParseError> {
            bytes(text).withUnsafeBufferPointer { HTTPHeadParser.parse($0, limits: HTTPLimits()) }
        }
        let chunked = try parse("POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: Chunked\r\n\r\n").get()
        #expect(chunked.framing == .chunked)
        #expect(!chunked.expectsContinue)
        let fixed = try parse("POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n").get()
        #expect(fixed.framing == .length(7))
        #expect(fixed.expectsContinue)
        let empty = try parse("POST / HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n").get()
        #expect(empty.framing == .none)
        #expect(!empty.expectsContinue)
        #expect(throws: HTTPParseError.self) { try parse("GET / HTTP/1.1\r\nHost: gw").get() }
    }
}
