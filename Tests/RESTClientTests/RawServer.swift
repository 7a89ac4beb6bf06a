import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP server on blocking sockets, one thread per connection, for scripting what
/// a misbehaving upstream does byte by byte (never answer, drop the connection, reset a stream).
final class RawServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var connectionCount = 0
    private var requestCount = 0

    /// `handle` runs on its own thread per connection with the descriptor and the
    /// connection's index (0 for the first); the descriptor is closed when it returns.
    init(_ handle: @escaping @Sendable (_ fd: Int32, _ index: Int, _ server: RawServer) -> Void) throws {
        let (fd, port) = try LoopbackListener.open()
        self.port = port
        listener = fd
        let listener = fd
        Thread.detachNewThread { [self] in
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                let index = lock.withLock {
                    defer { connectionCount += 1 }
                    return connectionCount
                }
                Thread.detachNewThread { [self] in
                    handle(fd, index, self)
                    close(fd)
                }
            }
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var connections: Int { lock.withLock { connectionCount } }
    /// Requests the script counted with `sawRequest()`.
    var requests: Int { lock.withLock { requestCount } }

    func sawRequest() { lock.withLock { requestCount += 1 } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Reads until `bytes` holds a blank line (an HTTP/1.1 head); false when the peer closed.
    static func readHead(_ fd: Int32) -> Bool {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !bytes.windows(ofCount: 4).contains(where: { $0.elementsEqual([13, 10, 13, 10]) }) {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return false }
            bytes += buffer[..<count]
        }
        return true
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Blocks until the peer closes (or 10 s pass).
    static func drain(_ fd: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}
    }
}

extension Array where Element == UInt8 {
    /// Consecutive slices of `count` elements (a small stand-in for swift-algorithms).
    func windows(ofCount count: Int) -> [ArraySlice<UInt8>] {
        guard self.count >= count else { return [] }
        return (0...(self.count - count)).map { self[$0..<($0 + count)] }
    }
}
