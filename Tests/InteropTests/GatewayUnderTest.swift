import Foundation
import Gateway
import HTTPServer
import Logging
import OrderBook
import Pacing
import RESTClient
import Signing
import Streams
import Upstream

/// A gateway served in-process on an ephemeral port, its upstreams the given WebSocket and
/// REST URLs (the REST one unreachable unless given), signing with `credentials`.
final class GatewayUnderTest: @unchecked Sendable {
    let server: HTTPServer
    let upstreams: GatewayUpstreams
    let port: UInt16
    /// The stream hub, when the gateway serves streams.
    let streams: StreamHub?
    /// The local order books behind `/v1/book`, when the test made them.
    let books: OrderBooks?

    var upstream: UpstreamMultiplexer { upstreams.webSocket }

    init(
        upstreamURL: String, restURL: String = "http://127.0.0.1:9", credentials: Credentials? = nil,
        configuration: UpstreamConfiguration = UpstreamConfiguration(), recvWindow: Int? = nil,
        rateLimits: [RateLimitRule] = RateLimitRule.binanceDefaults,
        pingInterval: Duration = .seconds(30), deadAfter: Duration = .seconds(60),
        paperAccount: (@Sendable () -> String)? = nil, bearerToken: String? = nil,
        streamURL: String? = nil, streamSettings: StreamHubSettings = StreamHubSettings(),
        subscriberLimits: SubscriberLimits = SubscriberLimits(),
        books makeBooks: ((GatewayUpstreams, StreamHub?) -> OrderBooks)? = nil
    ) throws {
        let logger = Logger(label: "gateway-under-test")
        let session = SessionAuthorization()
        let clock = ServerClock()
        var connector: any UpstreamConnector = try WebSocketConnector(
            url: upstreamURL, connectTimeout: .seconds(2), pingInterval: pingInterval, deadAfter: deadAfter,
            logger: logger)
        if let credentials, credentials.canLogOn {
            let encoder = WebSocketRequestEncoder(credentials: credentials, recvWindow: recvWindow)
            connector = SessionLogonConnector(inner: connector, authorization: session, logger: logger) { id in
                WebSocketRequestEncoder.frame(
                    id: id, method: "session.logon",
                    params: encoder.logonParameters(timestamp: clock.now()) ?? .init())
            }
        }
        let multiplexer = UpstreamMultiplexer(configuration: configuration, connector: connector, logger: logger)
        let rest = try RESTClient(
            baseURL: restURL, protocol: .auto, tls: nil,
            configuration: RESTClientConfiguration(
                requestTimeout: configuration.requestTimeout,
                connectTimeout: .seconds(2)),
            logger: logger)
        let upstreams = GatewayUpstreams(
            webSocket: multiplexer, rest: rest, credentials: credentials, recvWindow: recvWindow,
            session: session, clock: clock,
            limits: RateLimitGuard(rules: rateLimits, clock: clock.now), logger: logger)
        self.upstreams = upstreams
        streams = streamURL.map {
            StreamHub(
                baseURL: $0, settings: streamSettings, listenKeys: upstreams.listenKeySource, logger: logger,
                wallClock: ServerClock.wallClockMillis)
        }
        books = makeBooks?(upstreams, streams)
        let router = GatewayRoutes.makeRouter(
            upstreams: upstreams, paperAccount: paperAccount,
            streams: streams.map { StreamRoutes(hub: $0, limits: subscriberLimits, logger: logger) }, books: books)
        server = HTTPServer(
            configuration: ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0)),
            handler: RequestIdStamp(inner: bearerToken.map { BearerTokenGate(token: $0, inner: router) } ?? router),
            logger: logger)
        guard case .tcp(_, let port) = try server.start() else { fatalError("not a TCP address") }
        self.port = port
        upstreams.start(clockSyncInterval: .seconds(3600))
        streams?.start()
    }

    func stop() async {
        books?.shutdown()
        streams?.shutdown()
        await server.shutdown()
        await withCheckedContinuation { continuation in upstreams.shutdown { continuation.resume() } }
    }

    func status() async -> UpstreamStatus {
        await withCheckedContinuation { continuation in upstream.status { continuation.resume(returning: $0) } }
    }
}
