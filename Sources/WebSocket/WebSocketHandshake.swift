import HTTP1
import OpenSSL

/// The opening handshake of RFC 6455 §4: the HTTP/1.1 Upgrade that turns a connection into
/// a WebSocket.
///
/// Client side for our upstream connection to Binance, server side for the exchange
/// simulator; both share the accept-value computation, so each checks the other.
public enum WebSocketHandshake {
    /// The GUID the accept value is derived with (§1.3).
    public static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Fields the handshake owns; a caller's extra headers may not set them.
    private static let ownedFields = [
        "host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
        "sec-websocket-extensions", "content-length", "transfer-encoding",
    ]

    // MARK: Client

    /// Builds the client's upgrade request and the fresh random key it carries.
    ///
    /// `port` is left out of `Host` when it is 80 or 443. `extraHeaders` may carry, say,
    /// `User-Agent` or `Sec-WebSocket-Protocol` (pass the same protocols to
    /// `validateResponse`), but none of the fields the handshake itself sets.
    public static func makeRequest(
        host: String, port: Int, path: String, origin: String? = nil,
        extraHeaders: HTTPHeaders = [:]
    )
        throws(WebSocketHandshakeError) -> (bytes: [UInt8], key: String)
    {
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw .invalidRequestParameter("host \"\(host)\"")
        }
        guard (1...65535).contains(port) else { throw .invalidRequestParameter("port \(port)") }
        guard path.hasPrefix("/"), path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidRequestParameter("path \"\(path)\"")
        }
        var authority = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if port != 80 && port != 443 { authority += ":\(port)" }

        let key = Base64.encode(SecureRandom.bytes(16))
        var fields: [(String, String)] = [
            ("Host", authority), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13"),
        ]
        if let origin { fields.append(("Origin", origin)) }
        for field in extraHeaders {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(isTokenChar) else {
                throw .invalidRequestParameter("header name \"\(field.name)\"")
            }
            guard !ownedFields.contains(field.name.lowercased()) else {
                throw .invalidRequestParameter("header \(field.name) is set by the handshake")
            }
            fields.append((field.name, field.value))
        }
        var text = "GET \(path) HTTP/1.1\r\n"
        for (name, value) in fields {
            guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw .invalidRequestParameter("value of header \(name)")
            }
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        return (Array(text.utf8), key)
    }

    /// Checks the server's answer to a request made with `key` (§4.1, the client's checks).
    public static func validateResponse(
        _ head: HTTPResponseHead, key: String, offeredSubprotocols: [String] = []
    )
        throws(WebSocketHandshakeError)
    {
        guard head.status.code == 101 else { throw .unexpectedStatus(head.status) }
        guard head.version == .http1_1 else { throw .unexpectedHTTPVersion(head.version) }
        let upgrades = head.headers.values(for: "upgrade")
        guard upgrades.count == 1, upgrades[0].lowercased() == "websocket" else {
            throw .badUpgrade(upgrades.isEmpty ? nil : upgrades.joined(separator: ", "))
        }
        let connection = head.headers.values(for: "connection")
        guard tokens(connection).contains("upgrade") else { throw .badConnection(connection) }
        let expected = acceptValue(for: key)
        let accepts = head.headers.values(for: "sec-websocket-accept")
        guard accepts == [expected] else {
            throw .badAccept(expected: expected, received: accepts.isEmpty ? nil : accepts.joined(separator: ", "))
        }
        let extensions = head.headers.values(for: "sec-websocket-extensions")
        if let selected = extensions.first(where: { !$0.isEmpty }) { throw .unexpectedExtension(selected) }
        let protocols = head.headers.values(for: "sec-websocket-protocol")
        if protocols.count > 1 { throw .unexpectedSubprotocol(protocols.joined(separator: ", ")) }
        if let selected = protocols.first, !offeredSubprotocols.contains(selected) {
            throw .unexpectedSubprotocol(selected)
        }
    }

    // MARK: Server

    /// base64(SHA-1(key + GUID)), the value of `Sec-WebSocket-Accept` (§4.2.2).
    public static func acceptValue(for key: String) -> String {
        Base64.encode(Digest.sha1(Array((key + guid).utf8)))
    }

    /// Checks a client's upgrade request (§4.2.1) and returns its key.
    @discardableResult
    public static func validateRequest(_ head: HTTPRequestHead) throws(WebSocketHandshakeError) -> String {
        guard head.method == .GET else { throw .methodNotGET(head.method) }
        guard head.version == .http1_1 else { throw .unexpectedHTTPVersion(head.version) }
        let upgrades = head.headers.values(for: "upgrade")
        guard tokens(upgrades).contains("websocket") else {
            throw .badUpgrade(upgrades.isEmpty ? nil : upgrades.joined(separator: ", "))
        }
        let connection = head.headers.values(for: "connection")
        guard tokens(connection).contains("upgrade") else { throw .badConnection(connection) }
        let versions = head.headers.values(for: "sec-websocket-version")
        guard versions == ["13"] else {
            throw .unsupportedVersion(versions.isEmpty ? nil : versions.joined(separator: ", "))
        }
        let keys = head.headers.values(for: "sec-websocket-key")
        guard keys.count == 1, Base64.decode(keys[0])?.count == 16 else {
            throw .badKey(keys.isEmpty ? nil : keys.joined(separator: ", "))
        }
        return keys[0]
    }

    /// The server's `101 Switching Protocols` for a request that carried `key`.
    public static func makeResponse(for key: String) -> [UInt8] {
        Array(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(acceptValue(for: key))\r\n\r\n").utf8)
    }

    /// The lowercased tokens of comma-separated list fields such as `Connection`.
    private static func tokens(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { token in
            var token = token
            while token.first == " " || token.first == "\t" { token = token.dropFirst() }
            while token.last == " " || token.last == "\t" { token = token.dropLast() }
            return token.lowercased()
        }
    }

    private static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
