import Testing
import Transport

@Suite struct EndpointTests {
    @Test func binanceWebSocketURL() throws {
        let endpoint = try Endpoint(url: "wss://ws-fapi.binance.com/ws-fapi/v1")
        #expect(endpoint.scheme == "wss")
        #expect(endpoint.host == "ws-fapi.binance.com")
        #expect(endpoint.port == 443)
        #expect(endpoint.path == "/ws-fapi/v1")
        #expect(endpoint.isSecure)
        #expect(endpoint.hostHeader == "ws-fapi.binance.com")
    }

    @Test func plainURLsWithPortAndQuery() throws {
        let ws = try Endpoint(url: "ws://127.0.0.1:9001/ws-fapi/v1?returnRateLimits=false#frag")
        #expect(ws.host == "127.0.0.1")
        #expect(ws.port == 9001)
        #expect(ws.path == "/ws-fapi/v1?returnRateLimits=false")
        #expect(!ws.isSecure)
        #expect(ws.hostHeader == "127.0.0.1:9001")
        let http = try Endpoint(url: "HTTP://Localhost")
        #expect(http.scheme == "http" && http.host == "localhost" && http.port == 80 && http.path == "/")
        let query = try Endpoint(url: "https://fapi.binance.com?x=1")
        #expect(query.port == 443 && query.path == "/?x=1")
        #expect(query.description == "https://fapi.binance.com/?x=1")
    }

    @Test func ipv6Literal() throws {
        let endpoint = try Endpoint(url: "ws://[::1]:8080/x")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 8080)
        #expect(endpoint.hostHeader == "[::1]:8080")
        #expect(try Endpoint(url: "https://[::1]").port == 443)
    }

    @Test(arguments: [
        "fapi.binance.com/x", "ftp://host/", "wss://", "wss://:443/", "wss://user@host/",
        "ws://host:0/", "ws://host:70000/", "ws://host:abc/", "ws://[::1/", "ws://host/a b",
    ])
    func invalidURLsAreRefused(_ url: String) {
        let error = #expect(throws: TransportError.self) { try Endpoint(url: url) }
        #expect(error?.description.hasPrefix("invalid URL \"\(url)\"") == true)
    }
}
