import HTTP1
import Testing

@testable import Gateway

/// The browser rules, request head by request head, without a socket.
@Suite("Browser policy")
struct BrowserPolicyTests {
    private func head(_ method: HTTPMethod, _ path: String, _ fields: [(String, String)]) -> HTTPRequestHead {
        HTTPRequestHead(method: method, target: path, headers: HTTPHeaders(fields.map { (name: $0.0, value: $0.1) }))
    }

    private func head(_ fields: [(String, String)]) -> HTTPRequestHead {
        head(.GET, "/v1/ws_futures_account_balance", fields)
    }

    private func verdict(
        _ head: HTTPRequestHead, listen: String? = "127.0.0.1", hosts: [String] = [],
        origins: [String] = []
    ) throws -> BrowserPolicy.Verdict {
        try BrowserPolicy(listenHost: listen, allowedHosts: hosts, allowedOrigins: origins).verdict(on: head)
    }

    @Test(arguments: ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"])
    func loopbackNamesWithTheRightPortPass(_ host: String) throws {
        #expect(try verdict(head([("Host", host)])) == .pass(corsOrigin: nil))
    }

    /// A tunnel or a container's published port changes the port; a rebinding page changes the name.
    @Test(arguments: ["127.0.0.1:9000", "localhost", "127.0.0.1", "[::1]:1"])
    func theHostsPortIsNotChecked(_ host: String) throws {
        #expect(try verdict(head([("Host", host)])) == .pass(corsOrigin: nil))
    }

    @Test(arguments: [
        "attacker.example:8080", "127.0.0.2:8080", "localhost.:8080", "10.0.0.1:8080", "[::2]:8080", "",
        "127.0.0.1.attacker.example:8080",
    ])
    func otherHostsAre421(_ host: String) throws {
        #expect(try verdict(head([("Host", host)])) == .refuse(.unknownHost))
    }

    @Test func aMissingHostIs421() throws {
        #expect(try verdict(head([])) == .refuse(.unknownHost))
    }

    @Test func allowedHostsPassWithTheGatewaysPortOrTheirOwn() throws {
        #expect(try verdict(head([("Host", "gw.internal:8080")]), hosts: ["gw.internal"]) == .pass(corsOrigin: nil))
        #expect(try verdict(head([("Host", "gw.internal:443")]), hosts: ["gw.internal:443"]) == .pass(corsOrigin: nil))
        #expect(try verdict(head([("Host", "gw.internal:9")]), hosts: ["gw.internal"]) == .pass(corsOrigin: nil))
        #expect(try verdict(head([("Host", "gw.internal:9")]), hosts: ["gw.internal:443"]) == .refuse(.unknownHost))
    }

    @Test func onEveryInterfaceAnAddressLiteralPassesAndANameDoesNot() throws {
        #expect(try verdict(head([("Host", "192.168.1.5:8080")]), listen: "0.0.0.0") == .pass(corsOrigin: nil))
        #expect(try verdict(head([("Host", "[fe80::1]:8080")]), listen: "::") == .pass(corsOrigin: nil))
        #expect(try verdict(head([("Host", "rebind.example:8080")]), listen: "0.0.0.0") == .refuse(.unknownHost))
        #expect(try verdict(head([("Host", "192.168.1.5:8080")])) == .refuse(.unknownHost))
    }

    @Test func onAUnixSocketHostIsNotChecked() throws {
        #expect(try verdict(head([("Host", "anything")]), listen: nil) == .pass(corsOrigin: nil))
    }

    @Test(arguments: [
        "http://attacker.example", "null", "http://127.0.0.1:3000", "https://127.0.0.1:8080",
        "http://localhost:8081", "file://", "http://127.0.0.1:8080/path",
    ])
    func foreignOriginsAre403(_ origin: String) throws {
        let verdict = try verdict(
            head(
                .POST, "/v1/ws_futures_create_order",
                [("Host", "127.0.0.1:8080"), ("Origin", origin), ("Content-Type", "application/json")]))
        guard case .refuse(.crossOrigin) = verdict else {
            Issue.record("\(origin): \(verdict)")
            return
        }
    }

    /// The gateway's own pages: the `Origin` is the `Host` the browser sent the request to.
    @Test(arguments: [
        ("127.0.0.1:8080", "http://127.0.0.1:8080"), ("localhost:8080", "HTTP://LOCALHOST:8080"),
        ("localhost:9000", "http://localhost:9000"), ("127.0.0.1", "http://127.0.0.1:80"),
    ])
    func theGatewaysOwnOriginPasses(_ host: String, _ origin: String) throws {
        #expect(
            try verdict(
                head(
                    .POST, "/v1/ws_futures_create_order",
                    [("Host", host), ("Origin", origin), ("Content-Type", "application/json")]))
                == .pass(corsOrigin: nil))
    }

    /// Another loopback name, or the same name on another port, is another origin.
    @Test(arguments: [("127.0.0.1:8080", "http://localhost:8080"), ("127.0.0.1:8080", "http://127.0.0.1:9000")])
    func anotherOriginOfTheSameMachineIs403(_ host: String, _ origin: String) throws {
        let verdict = try verdict(
            head(
                .POST, "/v1/ws_futures_create_order",
                [("Host", host), ("Origin", origin), ("Content-Type", "application/json")]))
        #expect(verdict == .refuse(.crossOrigin(allowable: origin.lowercased())))
    }

    @Test(arguments: ["cross-site", "same-site", "CROSS-SITE"])
    func crossSiteFetchMetadataIs403(_ site: String) throws {
        #expect(
            try verdict(head([("Host", "127.0.0.1:8080"), ("Sec-Fetch-Site", site)]))
                == .refuse(.crossOrigin(allowable: nil)))
    }

    @Test(arguments: ["same-origin", "none"])
    func sameOriginAndUserFetchMetadataPass(_ site: String) throws {
        #expect(try verdict(head([("Host", "127.0.0.1:8080"), ("Sec-Fetch-Site", site)])) == .pass(corsOrigin: nil))
    }

    @Test func anAllowedOriginGetsCORSAndItsPreflight() throws {
        let origins = ["http://localhost:3000"]
        let fields = [("Host", "127.0.0.1:8080"), ("Origin", "http://localhost:3000"), ("Sec-Fetch-Site", "same-site")]
        #expect(try verdict(head(fields), origins: origins) == .pass(corsOrigin: "http://localhost:3000"))
        let preflight = head(
            .OPTIONS, "/v1/ws_futures_create_order",
            fields + [
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Private-Network", "true"),
            ])
        #expect(
            try verdict(preflight, origins: origins)
                == .preflight(origin: "http://localhost:3000", privateNetwork: true))
        let other = head(
            .OPTIONS, "/v1/ws_futures_create_order",
            [
                ("Host", "127.0.0.1:8080"), ("Origin", "http://localhost:3001"),
                ("Access-Control-Request-Method", "POST"),
            ])
        guard case .refuse(.crossOrigin) = try verdict(other, origins: origins) else {
            Issue.record("preflight of another origin")
            return
        }
    }

    @Test(arguments: [
        ("text/plain", true), ("application/x-www-form-urlencoded", true), ("multipart/form-data; boundary=x", true),
        ("application/json", false), ("Application/JSON; charset=utf-8", false), ("application/jsonx", true),
        (" \tapplication/json\t ;charset=utf-8", false), ("application/jso", true), ("", true),
        (";application/json", true),
        ("application/json\u{00E9}", true),
    ])
    func bodiesToV1MustBeJSON(_ type: String, _ refused: Bool) throws {
        let request = head(
            .POST, "/v1/ws_futures_create_order",
            [
                ("Host", "127.0.0.1:8080"), ("Content-Type", type),
                ("Content-Length", "2"),
            ])
        #expect(try verdict(request) == (refused ? .refuse(.notJSON) : .pass(corsOrigin: nil)))
    }

    @Test func aPostWithoutBodyOrTypeIsFine() throws {
        #expect(
            try verdict(head(.POST, "/v1/ws_futures_account_balance", [("Host", "127.0.0.1:8080")]))
                == .pass(corsOrigin: nil))
        #expect(
            try verdict(
                head(.POST, "/v1/ws_futures_account_balance", [("Host", "127.0.0.1:8080"), ("Content-Length", "2")]))
                == .refuse(.notJSON))
    }

    @Test(arguments: ["bad host", "h:x", ""])
    func badAllowedHostsAreRefused(_ host: String) {
        #expect(throws: BrowserPolicyError.self) { try BrowserPolicy(listenHost: "127.0.0.1", allowedHosts: [host]) }
    }

    @Test(arguments: ["localhost:3000", "null", "ftp://x", "http://a b", "*"])
    func badAllowedOriginsAreRefused(_ origin: String) {
        #expect(throws: BrowserPolicyError.self) {
            try BrowserPolicy(listenHost: "127.0.0.1", allowedOrigins: [origin])
        }
    }
}
