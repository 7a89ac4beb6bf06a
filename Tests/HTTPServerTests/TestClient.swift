#if canImport(Glibc)
import Glibc
#endif
import HTTPServer

/// A blocking HTTP/1.1 client on a real socket, for driving the server from tests.
///
/// It sends raw bytes (so tests can send anything, malformed or pipelined) and reads one
/// response at a time. Every read has a receive timeout, so a server that stops answering
/// fails the test instead of hanging it.
final class TestClient {
    enum Failure: Error, CustomStringConvertible {
        case connect(Int32)
        case send(Int32)
        case timedOut(received: [UInt8])
        case reset(Int32)
        case closedEarly(received: [UInt8])
        case malformed(String)

        var description: String {
            switch self {
            case .connect(let code): "connect: \(String(cString: strerror(code)))"
            case .send(let code): "send: \(String(cString: strerror(code)))"
            case .timedOut(let bytes): "timed out; unread: \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .reset(let code): "read: \(String(cString: strerror(code)))"
            case .closedEarly(let bytes): "closed early; unread: \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            case .malformed(let why): "malformed response: \(why)"
            }
        }
    }

    private var fd: Int32
    /// Received and not yet consumed by a read call.
    private var buffer: [UInt8] = []

    /// Connects to `address`; `timeout` bounds every later read.
    init(connectingTo address: ListenAddress, timeout: Duration = .seconds(5)) throws(Failure) {
        fd = try Self.connect(to: address)
        setTimeout(timeout)
    }

    deinit { close() }

    /// Bounds each later `recv` (SO_RCVTIMEO); a read that waits longer fails with `timedOut`.
    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws(Failure) {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws(Failure) {
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
    func sendAvailable(_ bytes: [UInt8]) throws(Failure) -> Int {
        let sent = bytes.withUnsafeBytes { raw in
            Glibc.send(fd, raw.baseAddress!, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return 0 }
            throw .send(errno)
        }
        return sent
    }

    /// Reads the next response, interim (1xx) ones included.
    /// - Parameter bodyless: true when it answers a HEAD request: no body follows its head.
    func readResponse(bodyless: Bool = false) throws(Failure) -> TestResponse {
        var headEnd: Int?
        while true {
            headEnd = Self.endOfHead(in: buffer)
            if headEnd != nil { break }
            guard try receive() else { throw .closedEarly(received: buffer) }
        }
        var response = try TestResponse(head: String(decoding: buffer[..<headEnd!], as: UTF8.self))
        buffer.removeFirst(headEnd!)
        if bodyless || response.status < 200 || response.status == 204 || response.status == 304 {
            return response
        }
        if let text = response.header("Content-Length") {
            guard let length = Int(text) else { throw .malformed("Content-Length: \(text)") }
            while buffer.count < length {
                guard try receive() else { throw .closedEarly(received: buffer) }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            response.body = try readUntilClose()
        }
        return response
    }

    /// Reads responses until a final (non-1xx) one, which it returns.
    func readFinalResponse(bodyless: Bool = false) throws(Failure) -> TestResponse {
        while true {
            let response = try readResponse(bodyless: bodyless)
            if response.status >= 200 { return response }
        }
    }

    /// Reads until the server closes; returns what arrived meanwhile.
    func readUntilClose() throws(Failure) -> [UInt8] {
        while try receive() {}
        defer { buffer = [] }
        return buffer
    }

    /// True when a byte or end of stream is ready within `timeout`, without consuming it.
    func isReadable(within timeout: Duration) -> Bool {
        if !buffer.isEmpty { return true }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return poll(&entry, 1, milliseconds) > 0
    }

    /// Half-closes: the server sees end of stream, we can still read.
    func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    /// Appends whatever arrives next; false at end of stream.
    private func receive() throws(Failure) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw .timedOut(received: buffer)
            default: throw .reset(errno)
            }
        }
    }

    private static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    private static func connect(to address: ListenAddress) throws(Failure) -> Int32 {
        switch address {
        case .tcp(let host, let port):
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw .connect(errno) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
                Glibc.close(fd)
                throw .connect(EINVAL)
            }
            return try finishConnect(fd, &address)
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw .connect(errno) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8.prefix(raw.count - 1))
            }
            return try finishConnect(fd, &address)
        }
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
