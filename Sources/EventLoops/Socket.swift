import CSocketShims

#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking POSIX stream socket, server or client side, and the few calls made on it.
///
/// Raw `sockaddr` handling stays here and in `SocketAddress`; the layers above see addresses,
/// byte counts and `SocketError`. A `Socket` is a descriptor, not an owner: the loop it is
/// registered with, or whoever holds it before that, closes it once.
public struct Socket: Sendable, Hashable {
    public let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    private static let streamFlags =
        Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    // MARK: Listening

    /// Creates, configures, binds and listens on a TCP address.
    public static func listen(host: String, port: UInt16, backlog: Int32 = 4096) throws(SocketError) -> Socket {
        var hints = SocketAddress.streamHints(flags: AI_PASSIVE)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else { throw SocketError("getaddrinfo(\(host))", errno: EADDRNOTAVAIL) }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, streamFlags, 0)
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

    /// Creates, binds and listens on a Unix domain socket, replacing a stale socket file.
    public static func listen(unixPath path: String, backlog: Int32 = 4096) throws(SocketError) -> Socket {
        var status = stat()
        if lstat(path, &status) == 0 {
            // Replace a stale socket from an earlier run; never delete anything else.
            guard status.st_mode & S_IFMT == S_IFSOCK else {
                throw SocketError("bind(\(path)): not a socket", errno: EEXIST)
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, streamFlags, 0)
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

    /// Accepts one pending connection; `nil` when none is waiting.
    public func accept() throws(SocketError) -> Socket? {
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

    /// The local TCP port, with the real port when port 0 was asked for; `nil` if unknown.
    public var localPort: UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin6_port)
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                UInt16(bigEndian: $0.pointee.sin_port)
            }
        }
    }

    // MARK: Connecting

    /// Starts a non-blocking connect (TCP_NODELAY). `inProgress` means: wait for writability,
    /// then check `pendingError()`. On a thrown error the socket is already closed.
    public static func connect(to address: SocketAddress) throws(SocketError) -> (socket: Socket, inProgress: Bool) {
        let fd = socket(address.family, streamFlags, 0)
        guard fd >= 0 else { throw SocketError("socket") }
        let socket = Socket(fd: fd)
        socket.setNoDelay()
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if status == 0 { return (socket, false) }
        let code = errno
        if code == EINPROGRESS || code == EINTR { return (socket, true) }
        socket.close()
        throw SocketError("connect", errno: code)
    }

    /// The outcome of a finished non-blocking connect: 0 or an errno value.
    public func pendingError() -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { return errno }
        return code
    }

    // MARK: Options

    public func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError("setsockopt")
        }
    }

    /// Caps the kernel's send buffer for this socket, which otherwise grows to megabytes for a
    /// peer that does not read: what the peer has not taken is then bounded by what the
    /// process holds, not hidden in the kernel.
    public func limitSendBuffer(_ bytes: Int32) {
        try? setOption(SOL_SOCKET, SO_SNDBUF, bytes)
    }

    /// Disables Nagle's algorithm; the error on a Unix socket is ignored.
    public func setNoDelay() {
        try? setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    // MARK: Bytes

    /// Reads into `buffer`; `nil` when it would block, 0 at end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("recv")
            }
        }
    }

    /// Writes from `buffer`; `nil` when it would block. Never raises SIGPIPE.
    public func write(_ buffer: UnsafeRawBufferPointer) throws(SocketError) -> Int? {
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
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
