import CSocketShims

#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking POSIX socket descriptor and the few calls the server makes on it.
///
/// Raw `sockaddr` handling stays in this file; the rest of the server sees `ListenAddress`.
struct Socket: Sendable, Hashable {
    let fd: Int32

    /// Creates, configures, binds and listens.
    static func listen(on address: ListenAddress, backlog: Int32 = 4096) throws(SocketError) -> Socket {
        switch address {
        case .tcp(let host, let port): return try listenTCP(host: host, port: port, backlog: backlog)
        case .unix(let path): return try listenUnix(path: path, backlog: backlog)
        }
    }

    private static func listenTCP(host: String, port: UInt16, backlog: Int32) throws(SocketError) -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else { throw SocketError("getaddrinfo(\(host))", errno: EADDRNOTAVAIL) }
        defer { freeaddrinfo(list) }
        let fd = socket(
            info.pointee.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        let socket = Socket(fd: fd)
        do throws(SocketError) {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                throw SocketError("bind(\(host):\(port))")
            }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError("listen") }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    private static func listenUnix(path: String, backlog: Int32) throws(SocketError) -> Socket {
        var status = stat()
        if lstat(path, &status) == 0 {
            // Replace a stale socket from an earlier run; never delete anything else.
            guard status.st_mode & S_IFMT == S_IFSOCK else {
                throw SocketError("bind(\(path)): not a socket", errno: EEXIST)
            }
            unlink(path)
        }
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        let socket = Socket(fd: fd)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let error = SocketError("bind(\(path))")
            socket.close()
            throw error
        }
        return socket
    }

    /// The numeric addresses `host` resolves to for listening, in resolver order, without duplicates.
    static func resolve(host: String) throws(SocketError) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, list != nil else {
            throw SocketError("getaddrinfo(\(host))", errno: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry = list
        while let info = entry?.pointee {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.ai_addr, info.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(address) { addresses.append(address) }
            }
            entry = info.ai_next
        }
        guard !addresses.isEmpty else { throw SocketError("getaddrinfo(\(host))", errno: EADDRNOTAVAIL) }
        return addresses
    }

    /// True for a numeric address in 127.0.0.0/8, `::1`, or an IPv4-mapped loopback address.
    static func isLoopback(numeric address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        return bytes[..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
    }

    /// Accepts one pending connection; `nil` when none is waiting.
    func accept() throws(SocketError) -> Socket? {
        while true {
            let fd = csocket_accept_nonblocking(self.fd)
            if fd >= 0 { return Socket(fd: fd) }
            switch errno {
            case EAGAIN, EWOULDBLOCK: return nil
            case EINTR, ECONNABORTED, EPROTO: continue
            default: throw SocketError("accept4")
            }
        }
    }

    /// The address actually bound, with the real port when port 0 was asked for.
    func localAddress(for requested: ListenAddress) -> ListenAddress {
        guard case .tcp(let host, _) = requested else { return requested }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return requested }
        let family = storage.ss_family
        let port: UInt16 = withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin6_port)
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                UInt16(bigEndian: $0.pointee.sin_port)
            }
        }
        return .tcp(host: host, port: port)
    }

    func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError("setsockopt")
        }
    }

    /// Caps the kernel's send buffer for this socket, which otherwise grows to megabytes for a
    /// client that does not read: answers the client has not taken are then bounded by what the
    /// server holds, not hidden in the kernel, and cost no more work than a few turns.
    func limitSendBuffer(_ bytes: Int32) {
        try? setOption(SOL_SOCKET, SO_SNDBUF, bytes)
    }

    /// Disables Nagle's algorithm; a no-op error on Unix sockets is ignored.
    func setNoDelay() {
        try? setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Reads into `buffer`; `nil` when it would block, 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("read")
            }
        }
    }

    /// Writes from `buffer`; `nil` when it would block. Never raises SIGPIPE.
    func write(_ buffer: UnsafeRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("send")
            }
        }
    }

    /// Half-closes: no more bytes from us, the peer can still send.
    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        _ = Glibc.close(fd)
    }
}
