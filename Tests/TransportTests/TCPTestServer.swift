import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A blocking POSIX server on 127.0.0.1 with an ephemeral port, one thread per connection.
final class TCPTestServer: Sendable {
    enum Behavior: Sendable {
        /// Sends back everything it receives.
        case echo
        /// Counts what it receives (see `receivedCounts`), sends nothing.
        case count
        /// Accepts and closes at once.
        case closeImmediately
        /// Listens with a backlog of 0 and never accepts.
        case neverAccept
    }

    let port: UInt16
    private let fd: Int32
    private let counts = Counts()

    private final class Counts: Sendable {
        let value = Mutex<[Int]>([])
    }

    init(_ behavior: Behavior) throws {
        let (fd, port) = try LoopbackListener.open(backlog: behavior == .neverAccept ? 0 : 64)
        self.fd = fd
        self.port = port
        acceptsOnThread = behavior != .neverAccept
        guard acceptsOnThread else { return }
        let (listener, counts) = (fd, counts)
        Thread {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else {
                    Glibc.close(listener)
                    return
                }
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)  // keep it out of helper processes
                Thread { Self.serve(connection, behavior, counts) }.start()
            }
        }.start()
    }

    private let acceptsOnThread: Bool

    /// Only the accept thread closes a listener it uses: closing it here could hand the
    /// number to another test's socket before that thread reaches accept(2).
    deinit {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
        if !acceptsOnThread { Glibc.close(fd) }
    }

    /// Bytes received on each connection that has ended, in order of ending.
    var receivedCounts: [Int] { counts.value.withLock { $0 } }

    private static func serve(_ connection: Int32, _ behavior: Behavior, _ counts: Counts) {
        defer { Glibc.close(connection) }
        guard behavior != .closeImmediately else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while true {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            total += count
            guard behavior == .echo else { continue }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes {
                    send(connection, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL))
                }
                guard written > 0 else { return }
                sent += written
            }
        }
        counts.value.withLock { $0.append(total) }
    }
}
