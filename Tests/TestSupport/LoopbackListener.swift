#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 on a port the kernel chose, for tests that script a
/// server by hand (accepting, reading and writing on the descriptor themselves).
public enum LoopbackListener {
    public struct Failure: Error, CustomStringConvertible {
        public let code: Int32
        public var description: String { "cannot listen on 127.0.0.1: \(String(cString: strerror(code)))" }
    }

    /// Binds and listens with `backlog`; the descriptor (close-on-exec, the caller's to close) and its port.
    public static func open(backlog: Int32 = 16) throws(Failure) -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(code: errno) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, backlog) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard listening else {
            let code = errno
            close(fd)
            throw Failure(code: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
