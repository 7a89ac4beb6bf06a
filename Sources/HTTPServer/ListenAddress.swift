import EventLoops

/// Where the server listens: a TCP host and port, or a Unix domain socket path.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `unix:/path`.
    public init(parsing text: String) throws(ListenAddressError) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { throw .invalid(text, "empty socket path") }
            guard path.utf8.count < 108 else { throw .invalid(text, "socket path longer than 107 bytes") }
            self = .unix(path: path)
            return
        }
        guard let colon = text.lastIndex(of: ":") else { throw .invalid(text, "expected HOST:PORT") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalid(text, "empty host") }
        guard let port = UInt16(text[text.index(after: colon)...]) else { throw .invalid(text, "invalid port") }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): "unix:\(path)"
        }
    }

    /// A URL a client can use, for the startup line and logs.
    public var url: String {
        switch self {
        case .tcp: "http://\(description)"
        case .unix: description
        }
    }

    /// The address with its host resolved, once, to the numeric addresses it stands for; the
    /// first is the one to bind. A Unix socket is its own resolution.
    public func resolved() throws(SocketError) -> [ListenAddress] {
        guard case .tcp(let host, let port) = self else { return [self] }
        return try SocketAddress.numericAddresses(listening: host).map { .tcp(host: $0, port: port) }
    }

    /// True for addresses reachable only from this machine: a Unix socket, or a numeric address
    /// in 127.0.0.0/8 or `::1`. A name is never judged by its text (`127.evil.example` is a
    /// name): resolve it first and ask each address.
    public var isLoopback: Bool {
        switch self {
        case .unix: true
        case .tcp(let host, _): SocketAddress.isLoopback(numeric: host)
        }
    }
}

extension ListenAddress {
    /// Creates, configures, binds and listens.
    func listen(backlog: Int32 = 4096) throws(SocketError) -> Socket {
        switch self {
        case .tcp(let host, let port): try Socket.listen(host: host, port: port, backlog: backlog)
        case .unix(let path): try Socket.listen(unixPath: path, backlog: backlog)
        }
    }

    /// The address `socket` is bound to, with the real port when port 0 was asked for.
    func bound(to socket: Socket) -> ListenAddress {
        guard case .tcp(let host, _) = self, let port = socket.localPort else { return self }
        return .tcp(host: host, port: port)
    }
}

public enum ListenAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let text, let why): "invalid listen address '\(text)': \(why)"
        }
    }
}
