#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client socket on loopback, for measuring: one thread, no event loop, so a
/// round trip costs the client two system calls and nothing else.
final class BlockingSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let fd: Int32
    /// Bytes read and not yet consumed by the caller.
    var buffer: [UInt8] = []

    init(host: String, port: UInt16, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw Failure(description: "connect to \(host):\(port): errno \(error)")
        }
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        try bytes.withUnsafeBytes { raw in
            while sent < raw.count {
                let count = send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { throw Failure(description: "send: errno \(errno)") }
                sent += count
            }
        }
    }

    /// Appends what one read(2) returns to `buffer`; throws on end of stream or timeout.
    func readMore() throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: count == 0 ? "closed by the peer" : "recv: errno \(errno)") }
        buffer.append(contentsOf: chunk[..<count])
    }

    /// Asks the kernel to stamp every read with the time its data arrived (`SO_TIMESTAMPNS`).
    func enableArrivalTimes() {
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Like `readMore`, and returns when the kernel received the data read (CLOCK_REALTIME, ns),
    /// or `nil` when it gave no stamp (see `enableArrivalTimes`).
    func readMoreWithArrivalTime() throws -> UInt64? {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        // struct cmsghdr (16 bytes on 64-bit Linux) followed by a struct timespec.
        var control = [UInt64](repeating: 0, count: 8)
        let count = chunk.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    return recvmsg(fd, &message, 0)
                }
            }
        }
        guard count > 0 else { throw Failure(description: count == 0 ? "closed by the peer" : "recv: errno \(errno)") }
        buffer.append(contentsOf: chunk[..<count])
        let level = Int32(truncatingIfNeeded: Int64(bitPattern: control[1]))
        let type = Int32(truncatingIfNeeded: Int64(bitPattern: control[1]) >> 32)
        guard control[0] >= 32, level == SOL_SOCKET, type == SO_TIMESTAMPNS else { return nil }
        return control[2] * 1_000_000_000 + control[3]
    }
}

extension BlockingSocket {
    /// Raises the soft limit on open files to the hard one, for commands that open thousands
    /// of connections.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
