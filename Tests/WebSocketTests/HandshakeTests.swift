import HTTP1
import Testing

@testable import WebSocket

/// The opening handshake of RFC 6455 §4, both sides, against each other and against bad peers.
@Suite("Handshake")
struct HandshakeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    static let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    /// Parses request bytes with our own HTTP/1.1 server decoder.
    static func parseRequest(_ bytes: [UInt8]) -> HTTPRequestHead? {
        var decoder = HTTPRequestDecoder()
        let (consumed, event) = bytes.withUnsafeBufferPointer { decoder.decode($0) }
        guard consumed == bytes.count, case .request(let request) = event else { return nil }
        return request.head
    }

    static func response(
        _ status: HTTPStatus = HTTPStatus(code: 101, reason: "Switching Protocols"),
        version: HTTPVersion = .http1_1, _ fields: [(String, String)]? = nil
    ) -> HTTPResponseHead {
        let fields = fields ?? [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept)]
        return HTTPResponseHead(status: status, version: version, headers: HTTPHeaders(fields.map { ($0.0, $0.1) }))
    }

    static func expectRefused(
        _ head: HTTPResponseHead, offered: [String] = [], _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            try WebSocketHandshake.validateResponse(head, key: key, offeredSubprotocols: offered)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func clientRequestIsWhatOurServerAccepts() throws {
        let (bytes, key) = try WebSocketHandshake.makeRequest(
            host: "ws-fapi.binance.com", port: 443, path: "/ws-fapi/v1", origin: "https://gw.local",
            extraHeaders: ["User-Agent": "futures-gateway"])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("GET /ws-fapi/v1 HTTP/1.1\r\nHost: ws-fapi.binance.com\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        let head = try #require(Self.parseRequest(bytes))
        #expect(head.headers["sec-websocket-version"] == "13")
        #expect(head.headers["origin"] == "https://gw.local")
        #expect(head.headers["user-agent"] == "futures-gateway")
        #expect(Base64.decode(key)?.count == 16)
        #expect(try WebSocketHandshake.validateRequest(head) == key)

        var parser = HTTPResponseHeadParser()
        let response = WebSocketHandshake.makeResponse(for: key)
        guard case .complete(let responseHead, let length) = parser.parse(response) else {
            Issue.record("response did not parse")
            return
        }
        #expect(length == response.count)
        try WebSocketHandshake.validateResponse(responseHead, key: key)
    }

    @Test func keysAreFreshAndHostCarriesOnlyNonDefaultPorts() throws {
        let first = try WebSocketHandshake.makeRequest(host: "h", port: 80, path: "/")
        let second = try WebSocketHandshake.makeRequest(host: "h", port: 9443, path: "/a?b=c")
        #expect(first.key != second.key)
        #expect(Self.parseRequest(first.bytes)?.headers["host"] == "h")
        #expect(Self.parseRequest(second.bytes)?.headers["host"] == "h:9443")
        #expect(Self.parseRequest(second.bytes)?.target == "/a?b=c")
        let v6 = try WebSocketHandshake.makeRequest(host: "::1", port: 8080, path: "/")
        #expect(Self.parseRequest(v6.bytes)?.headers["host"] == "[::1]:8080")
    }

    @Test func requestParametersThatWouldCorruptTheRequestAreRefused() {
        let bad: [() throws -> Void] = [
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 443, path: "/a b") },
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 443, path: "relative") },
            { _ = try WebSocketHandshake.makeRequest(host: "h\r\nX: y", port: 443, path: "/") },
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 0, path: "/") },
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 443, path: "/", origin: "o\r\nX: y") },
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 443, path: "/", extraHeaders: ["X-A": "1\n"]) },
            { _ = try WebSocketHandshake.makeRequest(host: "h", port: 443, path: "/", extraHeaders: ["X A": "1"]) },
            {
                _ = try WebSocketHandshake.makeRequest(
                    host: "h", port: 443, path: "/",
                    extraHeaders: ["sec-websocket-key": "x"])
            },
        ]
        for make in bad {
            #expect(throws: WebSocketHandshakeError.self) { try make() }
        }
    }

    @Test func responseFailures() {
        Self.expectRefused(Self.response(.ok), "expected 101, got 200 OK")
        Self.expectRefused(Self.response(HTTPStatus(code: 403, reason: "Forbidden")), "expected 101, got 403 Forbidden")
        Self.expectRefused(Self.response(version: .http1_0), "expected HTTP/1.1")
        Self.expectRefused(
            Self.response(
                HTTPStatus(code: 101, reason: ""),
                [("Connection", "Upgrade"), ("Sec-WebSocket-Accept", Self.accept)]),
            "expected Upgrade: websocket, got nothing")
        Self.expectRefused(
            Self.response(
                .init(code: 101, reason: "x"),
                [
                    ("Upgrade", "h2c"), ("Connection", "Upgrade"),
                    ("Sec-WebSocket-Accept", Self.accept),
                ]),
            "expected Upgrade: websocket, got \"h2c\"")
        Self.expectRefused(
            Self.response(
                .init(code: 101, reason: "x"),
                [
                    ("Upgrade", "websocket"),
                    ("Connection", "keep-alive"),
                    ("Sec-WebSocket-Accept", Self.accept),
                ]),
            "Connection lacks the upgrade token")
        Self.expectRefused(
            Self.response(
                .init(code: 101, reason: "x"),
                [
                    ("Upgrade", "websocket"),
                    ("Connection", "Upgrade"),
                    ("Sec-WebSocket-Accept", "AAAA"),
                ]),
            "bad Sec-WebSocket-Accept")
        Self.expectRefused(
            Self.response(
                .init(code: 101, reason: "x"),
                [
                    ("Upgrade", "websocket"),
                    ("Connection", "Upgrade"),
                ]),
            "bad Sec-WebSocket-Accept: expected s3pPLMBiTxaQ9kYGzzhZRbK+xOo=, got nothing")
    }

    @Test func unofferedExtensionsAndSubprotocolsAreRefused() throws {
        let base = [
            ("upgrade", "WebSocket"), ("connection", "keep-alive, UPGRADE"), ("sec-websocket-accept", Self.accept),
        ]
        let status = HTTPStatus(code: 101, reason: "Switching Protocols")
        try WebSocketHandshake.validateResponse(Self.response(status, base), key: Self.key)
        Self.expectRefused(
            Self.response(status, base + [("Sec-WebSocket-Extensions", "permessage-deflate")]),
            "server selected an extension we did not offer: permessage-deflate")
        Self.expectRefused(
            Self.response(status, base + [("Sec-WebSocket-Protocol", "chat")]),
            "server selected a subprotocol we did not offer: chat")
        try WebSocketHandshake.validateResponse(
            Self.response(status, base + [("Sec-WebSocket-Protocol", "chat")]),
            key: Self.key, offeredSubprotocols: ["chat"])
    }

    static func request(_ fields: [(String, String)], method: HTTPMethod = .GET) -> HTTPRequestHead {
        HTTPRequestHead(
            method: method, target: "/ws", headers: HTTPHeaders([("Host", "sim")] + fields.map { ($0.0, $0.1) }))
    }

    static let goodRequestFields = [
        ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", key),
    ]

    @Test func serverAcceptsListsAndCaseInsensitiveTokens() throws {
        let head = Self.request([
            ("Upgrade", "WebSocket"), ("Connection", "keep-alive, Upgrade"),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", Self.key),
        ])
        #expect(try WebSocketHandshake.validateRequest(head) == Self.key)
        let response = String(decoding: WebSocketHandshake.makeResponse(for: Self.key), as: UTF8.self)
        #expect(
            response == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(Self.accept)\r\n\r\n")
    }

    @Test(
        arguments: [
            ("Upgrade", nil, "expected Upgrade: websocket"), ("Connection", "close", "Connection lacks"),
            ("Sec-WebSocket-Version", "8", "expected Sec-WebSocket-Version: 13, got \"8\""),
            ("Sec-WebSocket-Version", nil, "expected Sec-WebSocket-Version: 13, got nothing"),
            ("Sec-WebSocket-Key", nil, "Sec-WebSocket-Key is not base64"),
            ("Sec-WebSocket-Key", "not base64!", "Sec-WebSocket-Key is not base64"),
            ("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0O", "Sec-WebSocket-Key is not base64"),  // 15 bytes
            ("Sec-WebSocket-Key", "AAECAwQFBgcICQoLDA0ODxA=", "Sec-WebSocket-Key is not base64"),  // 17 bytes
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR==", "Sec-WebSocket-Key is not base64"),  // non-canonical
        ] as [(String, String?, String)])
    func serverRefusals(_ name: String, _ value: String?, _ message: String) {
        var fields = Self.goodRequestFields.filter { $0.0 != name }
        if let value { fields.append((name, value)) }
        #expect(throws: WebSocketHandshakeError.self) { try WebSocketHandshake.validateRequest(Self.request(fields)) }
        do {
            try WebSocketHandshake.validateRequest(Self.request(fields))
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test func serverRefusesOtherMethodsAndRepeatedKeys() {
        #expect(throws: WebSocketHandshakeError.methodNotGET(.POST)) {
            try WebSocketHandshake.validateRequest(Self.request(Self.goodRequestFields, method: .POST))
        }
        #expect(throws: WebSocketHandshakeError.badKey("\(Self.key), \(Self.key)")) {
            try WebSocketHandshake.validateRequest(
                Self.request(Self.goodRequestFields + [("Sec-WebSocket-Key", Self.key)]))
        }
    }

    @Test func base64MatchesRFC4648() {
        let vectors = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        for bad in ["Zg=", "Zg==Zg==", "Z===", "Zh==", "Zm9=", "Zm9v\n", "Zm-v", "===="] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }
}
