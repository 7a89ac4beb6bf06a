import Foundation
import Gateway
import HTTPServer
import Logging
import Upstream

/// A gateway served in-process on an ephemeral port, its upstream the given WebSocket URL.
final class GatewayUnderTest: @unchecked Sendable {
    let server: HTTPServer
    let upstream: UpstreamMultiplexer
    let port: UInt16

    init(upstreamURL: String, configuration: UpstreamConfiguration = UpstreamConfiguration(),
         pingInterval: Duration = .seconds(30), deadAfter: Duration = .seconds(60)) throws {
        let logger = Logger(label: "gateway-under-test")
        let connector = try WebSocketConnector(url: upstreamURL, connectTimeout: .seconds(2), pingInterval: pingInterval,
                                               deadAfter: deadAfter, logger: logger)
        upstream = UpstreamMultiplexer(configuration: configuration, connector: connector, logger: logger)
        server = HTTPServer(configuration: ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
                            handler: GatewayRoutes.makeRouter(upstream: upstream), logger: logger)
        guard case .tcp(_, let port) = try server.start() else { fatalError("not a TCP address") }
        self.port = port
        upstream.start()
    }

    func stop() async {
        await server.shutdown()
        await withCheckedContinuation { continuation in upstream.shutdown { continuation.resume() } }
    }

    func status() async -> UpstreamStatus {
        await withCheckedContinuation { continuation in upstream.status { continuation.resume(returning: $0) } }
    }
}

/// Polls `condition` on the thread (not the task) until it holds or `timeout` passes.
func waitUntil(_ timeout: Duration = .seconds(10), _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}
