import HTTP1

/// Which requests a browser may make of the gateway: the rules `BrowserGuard` applies, as a pure
/// function of a request head.
///
/// The gateway signs with the account's keys, and it runs where a browser is open. A page on any
/// origin can make the browser send requests to `127.0.0.1` (a form post, a `text/plain` fetch, an
/// `<img>`), and a page on a rebinding domain can read the answers. So, before a request reaches
/// a route:
/// - its `Host` must name this gateway: a loopback name, the listen host, a host allowed by
///   `--allow-host`, or (listening on every interface) an IP literal; else 421. A rebinding page
///   comes by a name of its own, whatever the port, so the port is not checked (a tunnel or a
///   container's published port changes it), unless an `--allow-host` value names one;
/// - a request that says it comes from a page of another origin (an `Origin` other than the
///   `Host` it was sent to, or `Sec-Fetch-Site: cross-site`/`same-site`) is refused with 403,
///   unless that origin was allowed by `--allow-origin`, which also turns on CORS for it. A page
///   on another local port is another origin: its `Origin` names that port;
/// - a body sent to `/v1/` must be `application/json` (415): browsers send other types
///   cross-site without asking first.
public struct BrowserPolicy: Sendable {
    /// What to do with a request.
    public enum Verdict: Sendable, Equatable {
        /// Serve it; `corsOrigin` is an allowed origin to name in the answer's CORS fields.
        case pass(corsOrigin: String?)
        /// A CORS preflight from an allowed origin: answer it here.
        case preflight(origin: String, privateNetwork: Bool)
        case refuse(BrowserRefusal)
    }

    /// Hosts that name this gateway; one with a port names the gateway only with that port.
    private let hosts: [HTTPHost]
    /// Origins allowed to call from a browser, lower case (`http://localhost:3000`).
    private let origins: Set<String>
    /// Bound to every interface: the machine's addresses are not known, so any IP literal
    /// names the gateway (a rebinding page always comes by a name, never by an address).
    private let acceptsAddressLiterals: Bool
    /// Listening on a Unix socket: no browser connects there, and `Host` means nothing.
    private let checksHost: Bool

    /// - Parameters:
    ///   - listenHost: the host of `--listen` as given (a name or an address), nil for a Unix socket.
    ///   - allowedHosts: `--allow-host` values, `NAME` or `NAME:PORT`.
    ///   - allowedOrigins: `--allow-origin` values, `scheme://host[:port]`.
    public init(
        listenHost: String?, allowedHosts: [String] = [], allowedOrigins: [String] = []
    ) throws(BrowserPolicyError) {
        var hosts: [HTTPHost] = []
        for text in ["localhost", "127.0.0.1", "[::1]"] + allowedHosts {
            guard let host = HTTPHost(text), !host.name.isEmpty else { throw .invalidHost(text) }
            hosts.append(host)
        }
        var origins: Set<String> = []
        for text in allowedOrigins {
            guard let origin = Self.origin(text) else { throw .invalidOrigin(text) }
            origins.insert(origin)
        }
        self.origins = origins
        if let listenHost {
            let bracketed = listenHost.contains(":") ? "[\(listenHost)]" : listenHost
            guard let host = HTTPHost(bracketed) else { throw .invalidHost(listenHost) }
            let isWildcard = ["0.0.0.0", "[::]", ""].contains(host.name)
            if !isWildcard { hosts.append(host) }
            acceptsAddressLiterals = isWildcard
            checksHost = true
        } else {
            acceptsAddressLiterals = false
            checksHost = false
        }
        self.hosts = hosts
    }

    /// The verdict on a request.
    public func verdict(on head: HTTPRequestHead) -> Verdict {
        let headers = head.headers
        let host = headers["Host"].flatMap(HTTPHost.init)
        if checksHost {
            guard let host, names(host) else { return .refuse(.unknownHost) }
        }
        var corsOrigin: String?
        if let value = headers["Origin"] {
            let origin = Self.origin(value)
            if let origin, origins.contains(origin) {
                corsOrigin = origin
            } else if !isSameOrigin(origin, as: host) {
                return .refuse(.crossOrigin(allowable: origin))
            }
        }
        if corsOrigin == nil, let site = headers["Sec-Fetch-Site"]?.lowercased(),
            site == "cross-site" || site == "same-site"
        {
            return .refuse(.crossOrigin(allowable: nil))
        }
        if head.method == .OPTIONS, let origin = corsOrigin, headers.contains("Access-Control-Request-Method") {
            let privateNetwork = headers["Access-Control-Request-Private-Network"]?.lowercased() == "true"
            return .preflight(origin: origin, privateNetwork: privateNetwork)
        }
        if head.path.utf8.starts(with: "/v1/".utf8), head.method != .GET, head.method != .HEAD {
            let type = headers["Content-Type"]
            let hasBody =
                headers.contains("Transfer-Encoding") || (headers["Content-Length"].map { $0 != "0" } ?? false)
            if (type != nil || hasBody) && !Self.isJSON(type) { return .refuse(.notJSON) }
        }
        return .pass(corsOrigin: corsOrigin)
    }

    /// True when `host` is one of ours (no port means 80).
    private func names(_ host: HTTPHost) -> Bool {
        if acceptsAddressLiterals && Self.isAddressLiteral(host.name) { return true }
        return hosts.contains { $0.name == host.name && ($0.port == nil || $0.port == (host.port ?? 80)) }
    }

    /// An `http` origin with the host and port the request was sent to: a page the gateway itself
    /// served, as the browser reached it.
    private func isSameOrigin(_ origin: String?, as host: HTTPHost?) -> Bool {
        guard let origin, let host, origin.hasPrefix("http://"),
            let page = HTTPHost(String(origin.dropFirst("http://".count)))
        else { return false }
        return page.name == host.name && (page.port ?? 80) == (host.port ?? 80)
    }

    /// `scheme://host[:port]` in lower case, or nil for anything else (`null` included).
    static func origin(_ text: String) -> String? {
        let lowered = text.lowercased()
        for scheme in ["http://", "https://"] where lowered.hasPrefix(scheme) {
            let rest = String(lowered.dropFirst(scheme.count))
            guard let host = HTTPHost(rest), !host.name.isEmpty else { return nil }
            return lowered
        }
        return nil
    }

    private static func isAddressLiteral(_ name: String) -> Bool {
        name.hasPrefix("[")
            || (!name.isEmpty && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") })
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`).
    private static func isJSON(_ type: String?) -> Bool {
        guard let type else { return false }
        return type.withUTF8Bytes { bytes in
            // Compared as bytes: this runs for every call with a body.
            var end = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            var start = 0
            while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
            while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            let media = UnsafeBufferPointer(rebasing: bytes[start..<end])
            return media.count == jsonMediaType.count
                && zip(media, jsonMediaType).allSatisfy { ($0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0) == $1 }
        }
    }

    private static let jsonMediaType = Array("application/json".utf8)
}

/// A bad `--allow-host` or `--allow-origin` value.
public enum BrowserPolicyError: Error, Sendable, CustomStringConvertible {
    case invalidHost(String)
    case invalidOrigin(String)

    public var description: String {
        switch self {
        case .invalidHost(let text): "invalid host '\(text)': expected NAME or NAME:PORT"
        case .invalidOrigin(let text): "invalid origin '\(text)': expected http://HOST[:PORT] or https://HOST[:PORT]"
        }
    }
}
