import HTTP1
import Testing

@Suite("Request line")
struct RequestLineTests {
    @Test func getWithoutBody() throws {
        let request = try #require(expectAccepted("GET /fapi/v1/time HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.method == .GET)
        #expect(request.head.target == "/fapi/v1/time")
        #expect(request.head.version == .http1_1)
        #expect(request.headers == ["Host": "gw"])
        #expect(request.body.isEmpty)
        #expect(request.path == "/fapi/v1/time")
        #expect(request.query == nil)
    }

    @Test func headRequest() throws {
        let request = try #require(expectAccepted("HEAD /status HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.method == .HEAD)
        #expect(request.body.isEmpty)
    }

    @Test(arguments: HTTPMethod.allCases)
    func everyImplementedMethod(_ method: HTTPMethod) throws {
        let request = try #require(expectAccepted("\(method.rawValue) /x HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.method == method)
    }

    @Test(arguments: [
        ("/fapi/v1/order?symbol=BTCUSDT&side=BUY", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY" as String?),
        ("/a?", "/a", ""),
        ("/a?b?c", "/a", "b?c"),
        ("/", "/", nil),
    ])
    func pathAndQuery(target: String, path: String, query: String?) throws {
        let request = try #require(expectAccepted("GET \(target) HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.head.target == target)
        #expect(request.path == path[...])
        #expect(request.query == query?[...])
    }

    @Test(arguments: [
        ("http://example.com/a/b?c=d", "/a/b?c=d"),
        ("https://example.com:8443/x", "/x"),
        ("http://example.com", "/"),
        ("HTTP://example.com?x=1", "/?x=1"),
    ])
    func absoluteFormBecomesOriginForm(target: String, origin: String) throws {
        let request = try #require(expectAccepted("GET \(target) HTTP/1.1\r\nHost: example.com\r\n\r\n"))
        #expect(request.head.target == origin)
    }

    @Test func asteriskOnlyForOptions() {
        #expect(expectAccepted("OPTIONS * HTTP/1.1\r\nHost: gw\r\n\r\n")?.head.target == "*")
        expectRejected("GET * HTTP/1.1\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: ["example.com:443", "ftp://example.com/", "a/b", "%2F"])
    func otherTargetFormsAreRejected(_ target: String) {
        expectRejected("GET \(target) HTTP/1.1\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test func leadingEmptyLinesAreIgnored() throws {
        let request = try #require(expectAccepted("\r\n\r\nGET / HTTP/1.1\r\nHost: gw\r\n\r\n"))
        #expect(request.path == "/")
    }

    @Test func leadingBareLineFeedIsRejected() {
        expectRejected("\nGET / HTTP/1.1\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: [
        "GET  / HTTP/1.1",  // double space
        "GET /  HTTP/1.1",  // double space before the version
        "GET /",  // missing version
        "GET / ",  // empty version
        "GET",  // method only
        " GET / HTTP/1.1",  // leading space
        "GET / HTTP/1.1 ",  // trailing space
        "GET\t/ HTTP/1.1",  // tab as separator
        "GE(T / HTTP/1.1",  // not a token
        "GET /a\u{1}b HTTP/1.1",  // control character in the target
        "GET /a\u{7F} HTTP/1.1",
        "GET /\u{E9} HTTP/1.1",  // non-ASCII in the target
    ])
    func malformedRequestLine(_ line: String) {
        expectRejected("\(line)\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test func bareCarriageReturnInRequestLine() {
        expectRejected("GET /\r HTTP/1.1\r\nHost: gw\r\n\r\n", status: 400)
        expectRejected("GET / HTTP/1.1\r\rHost: gw\r\n\r\n", status: 400)
    }

    @Test func bareLineFeedEndingRequestLine() {
        expectRejected("GET / HTTP/1.1\nHost: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: ["HTTP/1", "HTTP/1.1.1", "http/1.1", "HTTP/1.x", "HTTPS/1.1", "HTTP/11", "HTTP/1,1", "HTTP/A.1"])
    func malformedVersion(_ version: String) {
        expectRejected("GET / \(version)\r\nHost: gw\r\n\r\n", status: 400)
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/0.9"])
    func unsupportedVersion(_ version: String) {
        expectRejected("GET / \(version)\r\nHost: gw\r\n\r\n", status: 505)
    }

    @Test(arguments: ["BREW", "get", "CONNECT", "TRACE", "PROPFIND"])
    func unknownWellFormedMethod(_ method: String) {
        expectRejected("\(method) / HTTP/1.1\r\nHost: gw\r\n\r\n", status: 501)
    }

    @Test func http10WithoutHost() throws {
        let request = try #require(expectAccepted("GET / HTTP/1.0\r\n\r\n"))
        #expect(request.head.version == .http1_0)
        #expect(request.headers.count == 0)
    }
}
