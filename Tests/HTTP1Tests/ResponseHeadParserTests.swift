import HTTP1
import Testing

/// The response head parser: the request parser's strictness, for what servers send us.
@Suite("Response head parser")
struct ResponseHeadParserTests {
    typealias Outcome = HTTPResponseHeadParser.Outcome

    static let upgrade =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"

    /// Parses `text` whole and byte by byte (growing the buffer as a connection would);
    /// expects both to agree and returns the outcome.
    static func parse(
        _ text: String, parser: HTTPResponseHeadParser = HTTPResponseHeadParser(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Outcome {
        let bytes = Array(text.utf8)
        var whole = parser
        let outcome = whole.parse(bytes)
        var incremental = parser
        var last = Outcome.incomplete
        for end in 1...max(bytes.count, 1) where end <= bytes.count {
            last = incremental.parse(Array(bytes[..<end]))
            if last != .incomplete { break }
        }
        #expect(last == outcome, "byte by byte differs from whole", sourceLocation: sourceLocation)
        return outcome
    }

    static func expectMalformed(
        _ text: String, _ reason: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard case .failure(let failure) = parse(text, sourceLocation: sourceLocation),
            case .malformed(let why) = failure
        else {
            Issue.record("expected malformed: \(text.debugDescription)", sourceLocation: sourceLocation)
            return
        }
        if let reason { #expect(why == reason, sourceLocation: sourceLocation) }
    }

    @Test func parsesAnUpgradeResponse() throws {
        guard case .complete(let head, let length) = Self.parse(Self.upgrade) else {
            Issue.record("not complete")
            return
        }
        #expect(length == Self.upgrade.utf8.count)
        #expect(head.status == HTTPStatus(code: 101, reason: "Switching Protocols"))
        #expect(head.version == .http1_1)
        #expect(Array(head.headers.map(\.name)) == ["Upgrade", "Connection", "Sec-WebSocket-Accept"])
        #expect(head.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func bytesAfterTheHeadAreLeftAlone() {
        var parser = HTTPResponseHeadParser()
        let bytes = Array(Self.upgrade.utf8) + [0x81, 0x05, 0x48, 0x65]
        guard case .complete(_, let length) = parser.parse(bytes) else {
            Issue.record("not complete")
            return
        }
        #expect(length == bytes.count - 4)
    }

    @Test func reasonPhraseIsKeptAsReceived() {
        let cases = [
            ("HTTP/1.1 200 OK\r\n\r\n", 200, "OK"), ("HTTP/1.0 404 Not  Found here\r\n\r\n", 404, "Not  Found here"),
            ("HTTP/1.1 200 \r\n\r\n", 200, ""), ("HTTP/1.1 204\r\n\r\n", 204, ""),
            ("HTTP/1.1 418 caf\u{E9}\r\n\r\n", 418, "caf\u{E9}"),
        ]
        for (text, code, reason) in cases {
            guard case .complete(let head, _) = Self.parse(text) else {
                Issue.record("not complete: \(text.debugDescription)")
                continue
            }
            #expect(head.status.code == code)
            #expect(head.status.reason == reason)
            #expect(head.version == (text.hasPrefix("HTTP/1.0") ? .http1_0 : .http1_1))
        }
    }

    @Test func fieldValuesAreTrimmed() {
        guard case .complete(let head, _) = Self.parse("HTTP/1.1 200 OK\r\nX-A:1\r\nx-a: \t two \t\r\nX-E:\r\n\r\n")
        else {
            Issue.record("not complete")
            return
        }
        #expect(head.headers.values(for: "X-A") == ["1", "two"])
        #expect(head.headers["x-e"] == "")
    }

    @Test(arguments: [
        "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 099 X\r\n\r\n",
        "HTTP/1.1 600 X\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 200\tOK\r\n\r\n", "HTTP/1.1 200X\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n", "HTTP/1.1\r\n\r\n", "HTTP/2 200 OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
        "\r\nHTTP/1.1 200 OK\r\n\r\n", "HTTP/1.1 200 O\u{1}K\r\n\r\n", "\r\n\r\n",
    ])
    func malformedStatusLine(_ text: String) {
        Self.expectMalformed(text)
    }

    @Test func unsupportedVersion() {
        Self.expectMalformed("HTTP/2.0 101 Switching Protocols\r\n\r\n", "unsupported HTTP version")
        Self.expectMalformed("HTTP/0.9 200 OK\r\n\r\n", "unsupported HTTP version")
    }

    @Test(
        arguments: [
            ("HTTP/1.1 200 OK\nX: 1\r\n\r\n", "bare LF"), ("HTTP/1.1 200 OK\r\nX: 1\n\r\n", "bare LF"),
            ("HTTP/1.1 200 OK\r\nX: 1\r\n\n", "bare LF"), ("HTTP/1.1 200 OK\rX: 1\r\n\r\n", "bare CR"),
            ("HTTP/1.1 200 OK\r\nX: 1\r\r\n", "bare CR"),
            ("HTTP/1.1 200 OK\r\nX: 1\r\n folded\r\n\r\n", "obsolete line folding in header field"),
            ("HTTP/1.1 200 OK\r\n\tX: 1\r\n\r\n", "obsolete line folding in header field"),
            ("HTTP/1.1 200 OK\r\nX : 1\r\n\r\n", "whitespace in or after header field name"),
            ("HTTP/1.1 200 OK\r\nX\t: 1\r\n\r\n", "whitespace in or after header field name"),
            ("HTTP/1.1 200 OK\r\nX@Y: 1\r\n\r\n", "invalid character in header field name"),
            ("HTTP/1.1 200 OK\r\nno-colon\r\n\r\n", "header field without colon"),
            ("HTTP/1.1 200 OK\r\n: v\r\n\r\n", "empty header field name"),
            ("HTTP/1.1 200 OK\r\nX: a\u{7F}b\r\n\r\n", "invalid character in header field value"),
        ] as [(String, String)])
    func malformedFields(_ text: String, _ reason: String) {
        Self.expectMalformed(text, reason)
    }

    @Test func headSizeLimitHoldsBeforeTheHeadEnds() {
        let parser = HTTPResponseHeadParser(maxHeadSize: 64)
        let long = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 100)
        #expect(Self.parse(long, parser: parser) == .failure(.headTooLarge(limit: 64)))
        let exact = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 40) + "\r\n\r\n"
        #expect(exact.utf8.count == 64)
        guard case .complete = Self.parse(exact, parser: parser) else {
            Issue.record("a head of exactly the limit was refused")
            return
        }
    }

    @Test func headerCountLimit() {
        let parser = HTTPResponseHeadParser(maxHeaderCount: 2)
        #expect(
            Self.parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", parser: parser)
                == .failure(.tooManyHeaderFields(limit: 2)))
        guard case .complete = Self.parse("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", parser: parser) else {
            Issue.record("two fields refused")
            return
        }
    }

    @Test func failureIsStickyAndSuccessResets() {
        var parser = HTTPResponseHeadParser()
        #expect(parser.parse(Array("HTTP/1.1 200 OK\nX".utf8)) == .failure(.malformed("bare LF")))
        #expect(parser.parse(Array(Self.upgrade.utf8)) == .failure(.malformed("bare LF")))

        var reused = HTTPResponseHeadParser()
        guard case .complete = reused.parse(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)),
            case .complete(let head, _) = reused.parse(Array("HTTP/1.1 200 OK\r\n\r\n".utf8))
        else {
            Issue.record("not reusable")
            return
        }
        #expect(head.status.code == 200)
    }

    @Test func incompleteUntilTheBlankLine() {
        var parser = HTTPResponseHeadParser()
        #expect(parser.parse(Array("HTTP/1.1 101 Switching Protocols\r\n".utf8)) == .incomplete)
        #expect(parser.parse(Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r".utf8)) == .incomplete)
        #expect(parser.parse([]) == .incomplete)
        #expect(
            HTTPResponseHeadParser.Failure.headTooLarge(limit: 8).description == "response head larger than 8 bytes")
    }
}
