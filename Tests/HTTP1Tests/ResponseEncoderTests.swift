import HTTP1
import Testing

@Suite("Response encoder")
struct ResponseEncoderTests {
    private func encode(
        _ response: HTTPResponse, bodyOmitted: Bool = false, keepAlive: Bool = true,
        requestVersion: HTTPVersion = .http1_1, date: String? = nil
    ) -> String {
        var output: [UInt8] = []
        HTTPResponseEncoder.encode(
            response, bodyOmitted: bodyOmitted, keepAlive: keepAlive,
            requestVersion: requestVersion, date: date, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func statusLineContentLengthAndBody() {
        let text = encode(HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: bytes("hi")))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
    }

    @Test func emptyBodyStillCarriesContentLength() {
        #expect(encode(HTTPResponse(status: .notFound)) == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test(arguments: [0, 9, 10, 99, 100, 1_000, 65_536, 1_234_567])
    func contentLengthIsWrittenInDecimal(length: Int) {
        let text = encode(HTTPResponse(status: .ok, body: [UInt8](repeating: 0x61, count: length)))
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n"))
        #expect(text.utf8.count == "HTTP/1.1 200 OK\r\nContent-Length: \(length)\r\n\r\n".utf8.count + length)
    }

    @Test func fieldNamesAreComparedWithoutRegardToCase() {
        let response = HTTPResponse(status: .ok, headers: ["X-Request-Id": "abc", "CONTENT-LENGTH": "9"])
        #expect(response.headers["x-request-ID"] == "abc")
        #expect(response.headers["x-request-ie"] == nil)
        #expect(response.headers["x-request-i"] == nil)
        #expect(!encode(response).contains("CONTENT-LENGTH"))
    }

    @Test func unknownCodeGetsGenericReason() {
        #expect(encode(HTTPResponse(status: HTTPStatus(code: 599))).hasPrefix("HTTP/1.1 599 Status 599\r\n"))
        #expect(HTTPStatus(code: 418) == .imATeapot)
    }

    @Test func dateComesFirst() {
        let text = encode(HTTPResponse(body: bytes("x")), date: "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(text == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 1\r\n\r\nx")
    }

    @Test func closeWhenNotKeptAlive() {
        #expect(
            encode(HTTPResponse(body: bytes("x")), keepAlive: false)
                == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
        #expect(
            encode(HTTPResponse(body: bytes("x")), keepAlive: false, requestVersion: .http1_0)
                == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
    }

    @Test func keepAliveSpelledOutOnlyForHTTP10() {
        #expect(
            encode(HTTPResponse(body: bytes("x")), requestVersion: .http1_0)
                == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nx")
        #expect(!encode(HTTPResponse(body: bytes("x"))).contains("Connection"))
    }

    @Test func headOmitsBodyButKeepsContentLength() {
        #expect(
            encode(HTTPResponse(body: bytes("hello")), bodyOmitted: true)
                == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func handlerFramingFieldsAreDropped() {
        let headers: HTTPHeaders = [
            "content-length": "999", "X-A": "1", "Transfer-Encoding": "chunked", "CONNECTION": "upgrade", "X-B": "2",
        ]
        let text = encode(HTTPResponse(headers: headers, body: bytes("abc")), keepAlive: false)
        #expect(text == "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
    }

    @Test(arguments: [HTTPStatus(code: 204), HTTPStatus(code: 304), .continue])
    func bodylessStatusHasNoContentLengthOrBody(_ status: HTTPStatus) {
        let text = encode(HTTPResponse(status: status, body: bytes("ignored")))
        #expect(text == "HTTP/1.1 \(status.code) \(status.reason)\r\n\r\n")
    }

    @Test func appendsToExistingOutput() {
        var output = bytes("previous")
        HTTPResponseEncoder.encode(HTTPResponse(body: bytes("x")), into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "previousHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")
    }

    @Test func bodySliceIsEncodedNotItsBase() {
        let base = bytes("0123456789")
        let text = encode(HTTPResponse(body: base[3..<6]))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n345")
    }

    @Test func jsonSetsContentType() {
        let text = encode(.json(.badRequest, #"{"code":-1,"msg":"x"}"#, headers: ["content-type": "text/plain"]))
        #expect(
            text == "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n"
                + #"{"code":-1,"msg":"x"}"#)
    }

    @Test func continueResponse() {
        #expect(HTTPResponseEncoder.continueResponse == bytes("HTTP/1.1 100 Continue\r\n\r\n"))
    }
}

/// A value that would start a new header line never reaches the wire.
@Suite("Response encoder: header injection")
struct ResponseEncoderInjectionTests {
    private func encode(_ response: HTTPResponse) -> String {
        var output: [UInt8] = []
        HTTPResponseEncoder.encode(response, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test(arguments: [
        "x\r\nSet-Cookie: pwn=1", "x\nSet-Cookie: pwn=1", "x\rY", "x\u{0}y", "x\u{7F}",
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n",
    ])
    func aValueWithControlCharactersBecomesA500(_ value: String) {
        let text = encode(HTTPResponse(status: .ok, headers: ["X-Client-Order-Id": value], body: bytes("{}")))
        #expect(text.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(!text.contains("pwn"))
        #expect(!text.contains("X-Client-Order-Id"))
        #expect(text.ranges(of: "HTTP/1.1").count == 1, "one status line only: \(text)")
    }

    @Test(arguments: ["Bad Name", "Bad:Name", "", "X\r\nY"])
    func aNameThatIsNotATokenBecomesA500(_ name: String) {
        let text = encode(
            HTTPResponse(status: .ok, headers: HTTPHeaders([(name: name, value: "v")]), body: bytes("{}")))
        #expect(text.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
    }

    @Test func tabsSpacesAndUTF8AreKept() {
        let text = encode(HTTPResponse(status: .ok, headers: ["X-Note": "a\tb c é"], body: bytes("{}")))
        #expect(text.contains("X-Note: a\tb c é\r\n"))
    }
}
