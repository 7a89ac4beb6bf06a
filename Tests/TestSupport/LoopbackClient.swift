#if canImport(Glibc)
import Glibc
#endif

/// Where a `LoopbackClient` connects: a TCP port on a loopback address, or a Unix socket path.
public enum LoopbackAddress: Sendable {
    case tcp(host: String = "127.0.0.1", port: UInt16)
    case unix(path: String)
}

/// A blocking client socket on loopback for driving a server from tests, speaking raw bytes.
///
/// Tests send anything (malformed, pipelined, a byte at a time) and read what comes back: raw
/// bytes, an HTTP/1.1 response (`readResponse`), or through their own codec (`receive` and
/// `buffered`). Every read has a receive timeout, so a server that stops answering fails the test
/// instead of hanging it. The socket is closed when the value goes away.
public final class LoopbackClient {
    public enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case send(Int32)
        case timedOut(received: [UInt8])
        case reset(Int32)
        case closedEarly(received: [UInt8])
        case malformed(String)

        public var description: String {
            switch self {
            case .connect(let code): "connect: \(String(cString: strerror(code)))"
            case .send(let code): "send: \(String(cString: strerror(code)))"
            case .timedOut(let bytes): "timed out; unread: \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .reset(let code): "read: \(String(cString: strerror(code)))"
            case .closedEarly(let bytes):
                "closed early; unread: \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .malformed(let why): "malformed response: \(why)"
            }
        }
    }

    /// The socket, for tests that set an option or poll it themselves; -1 once closed.
    public private(set) var fd: Int32
    /// Received and not yet consumed by a read call.
    public private(set) var buffered: [UInt8] = []
    /// A `Host` value that names the server this connection reaches.
    public let host: String

    /// Connects to `address`; `timeout` bounds every later read. `receiveBufferSize` sets
    /// SO_RCVBUF before connecting (a small window makes unread answers back up quickly).
    public init(
        _ address: LoopbackAddress, timeout: Duration = .seconds(5), receiveBufferSize: Int32? = nil
    ) throws(Failure) {
        switch address {
        case .tcp(let host, let port): self.host = "\(host):\(port)"
        case .unix: host = "localhost"
        }
        fd = try Self.connect(to: address, receiveBufferSize: receiveBufferSize)
        setTimeout(timeout)
    }

    /// Connects to `port` on 127.0.0.1.
    public convenience init(tcpPort port: UInt16, timeout: Duration = .seconds(5)) throws(Failure) {
        try self.init(.tcp(port: port), timeout: timeout)
    }

    /// Connects to the Unix socket at `path`.
    public convenience init(unixPath path: String, timeout: Duration = .seconds(5)) throws(Failure) {
        try self.init(.unix(path: path), timeout: timeout)
    }

    deinit { close() }

    /// Bounds each later `recv` (SO_RCVTIMEO); a read that waits longer fails with `timedOut`.
    public func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) throws(Failure) {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw .send(errno)
            }
            offset += sent
        }
    }

    /// Sends what the socket takes now without waiting; the number of bytes taken (0 when full).
    @discardableResult
    public func sendAvailable(_ bytes: [UInt8]) throws(Failure) -> Int {
        let sent = bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress!, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
            throw .send(errno)
        }
        return sent
    }

    /// Reads the next response, interim (1xx) ones included. Without `Content-Length` the body
    /// runs to the end of the connection.
    /// - Parameter bodyless: true when it answers a HEAD request: no body follows its head.
    public func readResponse(bodyless: Bool = false) throws(Failure) -> HTTPTestResponse {
        var response = try HTTPTestResponse(head: readHead())
        if bodyless || response.status < 200 || response.status == 204 || response.status == 304 {
            return response
        }
        if let text = response.header("Content-Length") {
            guard let length = Int(text) else { throw .malformed("Content-Length: \(text)") }
            response.bytes = try read(exactly: length)
        } else {
            response.bytes = try readUntilClose()
        }
        return response
    }

    /// Reads responses until a final (non-1xx) one, which it returns.
    public func readFinalResponse(bodyless: Bool = false) throws(Failure) -> HTTPTestResponse {
        while true {
            let response = try readResponse(bodyless: bodyless)
            if response.status >= 200 { return response }
        }
    }

    /// Reads through the next blank line; the head before it, as text, with its final CRLF CRLF.
    public func readHead() throws(Failure) -> String {
        while true {
            if let end = Self.endOfHead(in: buffered) {
                defer { buffered.removeFirst(end) }
                return String(decoding: buffered[..<end], as: UTF8.self)
            }
            guard try receive() else { throw .closedEarly(received: buffered) }
        }
    }

    /// Reads exactly `count` bytes.
    public func read(exactly count: Int) throws(Failure) -> [UInt8] {
        while buffered.count < count {
            guard try receive() else { throw .closedEarly(received: buffered) }
        }
        defer { buffered.removeFirst(count) }
        return Array(buffered[..<count])
    }

    /// Reads until the server closes; returns what arrived meanwhile.
    public func readUntilClose() throws(Failure) -> [UInt8] {
        while try receive() {}
        defer { buffered = [] }
        return buffered
    }

    /// Drops the first `count` buffered bytes, once a caller's own codec has used them.
    public func consume(_ count: Int) {
        buffered.removeFirst(count)
    }

    /// Appends whatever arrives next to `buffered`; false at end of stream.
    public func receive() throws(Failure) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffered.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .timedOut(received: buffered)
            default: throw .reset(errno)
            }
        }
    }

    /// True when a byte or end of stream is ready within `timeout`, without consuming it.
    public func isReadable(within timeout: Duration) -> Bool {
        if !buffered.isEmpty { return true }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return poll(&entry, 1, milliseconds) > 0
    }

    /// Half-closes: the server sees end of stream, we can still read.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    private static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    private static func connect(to address: LoopbackAddress, receiveBufferSize: Int32?) throws(Failure) -> Int32 {
        switch address {
        case .tcp(let host, let port):
            let fd = try socket(AF_INET, receiveBufferSize)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
                Glibc.close(fd)
                throw .connect(EINVAL)
            }
            return try finishConnect(fd, &address)
        case .unix(let path):
            let fd = try socket(AF_UNIX, receiveBufferSize)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8.prefix(raw.count - 1))
            }
            return try finishConnect(fd, &address)
        }
    }

    private static func socket(_ family: Int32, _ receiveBufferSize: Int32?) throws(Failure) -> Int32 {
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .connect(errno) }
        if var size = receiveBufferSize {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        return fd
    }

    private static func finishConnect<Address>(_ fd: Int32, _ address: inout Address) throws(Failure) -> Int32 {
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .connect(code)
        }
        return fd
    }
}
