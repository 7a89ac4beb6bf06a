#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a socket, with the call's name and `errno`: the one error of the
/// socket layer, which the client and server layers map to their own.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    public let call: String
    public let errno: Int32
    /// What went wrong in words: `strerror(errno)`, or the resolver's message.
    public let reason: String

    init(_ call: String, errno: Int32 = Glibc.errno, reason: String? = nil) {
        self.call = call
        self.errno = errno
        self.reason = reason ?? String(cString: strerror(errno))
    }

    public var description: String { "\(call): \(reason)" }
}
