import Dispatch
import HTTP1
import HTTPServer
import Logging
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `HTTPServer` on an ephemeral loopback port (or a Unix socket), for one test.
///
/// Logging is discarded. `stop()` waits for the graceful shutdown, bounded, so a test that
/// forgets a connection costs at most the shutdown timeout (2 s unless configured).
final class TestServer {
    let server: HTTPServer
    let address: ListenAddress

    init(
        router: HTTPRouter, address: ListenAddress = .tcp(host: "127.0.0.1", port: 0),
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = ServerConfiguration(address: address, shutdownTimeout: .seconds(2))
        configure(&configuration)
        server = HTTPServer(
            configuration: configuration, handler: router,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        self.address = try server.start()
    }

    /// A new client connection to the server.
    func connect(timeout: Duration = .seconds(5)) throws -> LoopbackClient {
        try LoopbackClient(connectingTo: address, timeout: timeout)
    }

    var connectionCount: Int { server.connectionCount }

    /// Shuts the server down and waits for it; true when it finished within `timeout`.
    @discardableResult
    func stop(timeout: Duration = .seconds(5)) -> Bool {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        return done.wait(timeout: .now() + .nanoseconds(Int(timeout.components.seconds) * 1_000_000_000)) == .success
    }
}

/// A minimal HTTP/1.1 request with a `Host` field, ready to send.
func request(_ method: String = "GET", _ target: String, headers: [String] = [], body: String = "") -> String {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
    for field in headers { text += field + "\r\n" }
    if !body.isEmpty { text += "Content-Length: \(body.utf8.count)\r\n" }
    return text + "\r\n" + body
}

extension LoopbackClient {
    /// Connects to where `HTTPServer` says it listens.
    convenience init(
        connectingTo address: ListenAddress, timeout: Duration = .seconds(5)
    ) throws(LoopbackClient.Failure) {
        switch address {
        case .tcp(let host, let port):
            try self.init(.tcp(host: host == "localhost" ? "127.0.0.1" : host, port: port), timeout: timeout)
        case .unix(let path): try self.init(.unix(path: path), timeout: timeout)
        }
    }
}
