#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking TCP client socket and the few system calls a client stream makes on it.
///
/// Raw `sockaddr` and `errno` handling stays in this file; the rest of the module sees
/// `ClientSocket.Address`, `TransportError` and byte counts.
struct ClientSocket: Sendable {
    /// One resolved address, copied out of getaddrinfo's list.
    struct Address: Sendable, CustomStringConvertible {
        fileprivate var storage = sockaddr_storage()
        fileprivate var length: socklen_t = 0
        var family: Int32 { Int32(storage.ss_family) }

        var description: String {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            var copy = storage
            let ok = withUnsafePointer(to: &copy) { pointer -> Bool in
                if family == AF_INET6 {
                    return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                        var raw = address.pointee.sin6_addr
                        return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil
                    }
                }
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil
                }
            }
            return ok ? String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
        }
    }

    let fd: Int32

    /// Resolves `host` with getaddrinfo(3), which blocks: call it off the stream's queue.
    static func resolve(host: String, port: UInt16) throws(TransportError) -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw .resolveFailed(host: host, reason: reason)
        }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var node = list
        while let info = node?.pointee {
            if let source = info.ai_addr, Int(info.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size {
                var address = Address()
                address.length = info.ai_addrlen
                withUnsafeMutableBytes(of: &address.storage) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(info.ai_addrlen)))
                }
                addresses.append(address)
            }
            node = info.ai_next
        }
        guard !addresses.isEmpty else { throw .resolveFailed(host: host, reason: "no addresses") }
        return addresses
    }

    /// Starts a non-blocking connect. `inProgress` means: wait for writability, then check
    /// `pendingError()`. On a thrown error the socket is already closed.
    static func connect(to address: Address) throws(SocketFailure) -> (socket: ClientSocket, inProgress: Bool) {
        let flags = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(address.family, flags, 0)
        guard fd >= 0 else { throw SocketFailure(call: "socket", errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var storage = address.storage
        let status = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if status == 0 { return (ClientSocket(fd: fd), false) }
        let code = errno
        if code == EINPROGRESS || code == EINTR { return (ClientSocket(fd: fd), true) }
        Glibc.close(fd)
        throw SocketFailure(call: "connect", errno: code)
    }

    /// The outcome of a finished non-blocking connect: 0 or an errno value.
    func pendingError() -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { return errno }
        return code
    }

    /// Reads into `buffer`; `nil` when it would block, 0 at end of stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SocketFailure) -> Int? {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let code: throw SocketFailure(call: "recv", errno: code)
            }
        }
    }

    /// Writes from `buffer`; `nil` when it would block. Never raises SIGPIPE.
    func write(_ buffer: UnsafeRawBufferPointer) throws(SocketFailure) -> Int? {
        while true {
            let count = send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let code: throw SocketFailure(call: "send", errno: code)
            }
        }
    }

    func close() {
        _ = Glibc.close(fd)
    }
}

/// A failed system call on a client socket, before it becomes a `TransportError`.
struct SocketFailure: Error, Sendable {
    let call: String
    let errno: Int32

    var transportError: TransportError {
        switch errno {
        case ECONNRESET, EPIPE: .connectionReset
        default: .io(operation: call, errno: errno)
        }
    }
}
