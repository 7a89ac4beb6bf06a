import HTTP1
import Testing

/// RFC 9112 §3.2 and RFC 3986 §3.2.2: `Host` is `uri-host [":" port]`; anything else is 400.
@Suite("Host field")
struct HostFieldTests {
    private func request(host: String) -> String {
        "GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n"
    }

    @Test(arguments: [
        "a b", "evil@t", "t/../x", "t\\x", "[::1", "[::1]x", "[::1]:", "[zz::1]", "[v1.x]", "h:8080:1",
        "h:99999", "h:-1", "h:80a", "%zz", "%4", "a\"b", "<a>", "a?b", "a#b",
    ])
    func invalidHostsAreRejected(_ host: String) {
        expectRejected(request(host: host), status: 400)
    }

    @Test(arguments: [
        "gw", "localhost:8080", "127.0.0.1", "127.0.0.1:0", "[::1]:8080", "[::ffff:127.0.0.1]", "Example.COM",
        "xn--bcher-kva.example", "a-b_c~d.e!$&'()*+,;=", "%41", "",
    ])
    func validHostsAreAccepted(_ host: String) {
        #expect(expectAccepted(request(host: host)) != nil)
    }

    @Test func nameAndPortAreRead() throws {
        let host = try #require(HTTPHost("LocalHost:8080"))
        #expect(host.name == "localhost")
        #expect(host.port == 8080)
        let literal = try #require(HTTPHost("[::1]"))
        #expect(literal.name == "[::1]")
        #expect(literal.port == nil)
    }
}
