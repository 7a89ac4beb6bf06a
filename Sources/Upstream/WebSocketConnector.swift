import Dispatch
import EventLoops
import Logging
import OpenSSL
import Transport

/// Opens the real upstream links: TCP (TLS for `wss://`), then the WebSocket handshake.
public struct WebSocketConnector: UpstreamConnector {
    public let endpoint: Endpoint
    public let tls: TLSClientContext?
    public let connectTimeout: Duration
    public let pingInterval: Duration
    public let deadAfter: Duration
    public let maxMessageSize: Int
    private let logger: Logger

    /// - Parameters:
    ///   - url: `wss://…` or, for local upstreams, `ws://…`.
    ///   - pingInterval: silence after which the gateway pings the upstream.
    ///   - deadAfter: silence after which the upstream is declared dead and the link replaced.
    public init(
        url: String, tls: TLSClientContext? = nil, connectTimeout: Duration = .seconds(10),
        pingInterval: Duration = .seconds(30), deadAfter: Duration = .seconds(60),
        maxMessageSize: Int = 16 * 1024 * 1024, logger: Logger
    ) throws(TransportError) {
        self.endpoint = try Endpoint(url: url)
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.pingInterval = pingInterval
        self.deadAfter = deadAfter
        self.maxMessageSize = maxMessageSize
        self.logger = logger
    }

    public func connect(
        queue: DispatchQueue, onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) {
        let settings = WebSocketUpstreamLink.Settings(
            pingInterval: pingInterval, deadAfter: deadAfter,
            maxMessageSize: maxMessageSize, handshakeTimeout: connectTimeout)
        let endpoint = endpoint
        let logger = logger
        guard let loop = EventLoop.owning(queue) else { preconditionFailure("the multiplexer runs on an event loop") }
        ClientStream.connect(to: endpoint, tls: tls, loop: loop, timeout: connectTimeout) { result in
            switch result {
            case .failure(let error):
                completion(.failure(error))
            case .success(let stream):
                WebSocketUpstreamLink.open(
                    stream: stream, endpoint: endpoint, settings: settings, logger: logger,
                    onFrame: onFrame, onClose: onClose
                ) { result in
                    completion(result.map { $0 as any UpstreamLink })
                }
            }
        }
    }
}
