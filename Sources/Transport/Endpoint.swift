/// Where a client connects, parsed from a `ws://`, `wss://`, `http://` or `https://` URL.
///
/// The WebSocket and REST clients take URLs from configuration; this is the one strict
/// parser for them (no user info, no fragment, an explicit or default port).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// Lowercased: `ws`, `wss`, `http` or `https`.
    public let scheme: String
    /// A DNS name or an IP literal, without IPv6 brackets.
    public let host: String
    public let port: UInt16
    /// The request target: path and query, at least "/".
    public let path: String

    /// True for `wss` and `https`.
    public var isSecure: Bool { scheme == "wss" || scheme == "https" }

    /// The `Host` header value: the port only when it is not the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == Self.defaultPort(scheme) ? name : "\(name):\(port)"
    }

    public var description: String { "\(scheme)://\(hostHeader)\(path)" }

    public init(scheme: String, host: String, port: UInt16? = nil, path: String = "/") {
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port ?? Self.defaultPort(self.scheme)
        self.path = path.isEmpty ? "/" : path
    }

    public init(url: String) throws(TransportError) {
        func fail(_ reason: String) -> TransportError { .invalidURL(url, reason: reason) }
        guard let schemeEnd = url.firstRange(of: "://") else { throw fail("missing scheme") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard ["ws", "wss", "http", "https"].contains(scheme) else { throw fail("unsupported scheme \"\(scheme)\"") }
        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.hasPrefix("?") { path = "/" + path }
        guard !authority.contains("@") else { throw fail("user info is not supported") }
        guard !path.contains(where: { $0 == " " || $0.isNewline }) else { throw fail("whitespace in path") }

        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unterminated IPv6 literal") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("garbage after IPv6 literal") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw fail("missing host") }
        var port: UInt16?
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw fail("invalid port \"\(portText)\"") }
            port = value
        }
        self.init(scheme: scheme, host: host.lowercased(), port: port, path: path)
    }

    static func defaultPort(_ scheme: String) -> UInt16 {
        scheme == "wss" || scheme == "https" ? 443 : 80
    }
}
