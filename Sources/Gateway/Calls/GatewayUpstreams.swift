import Logging
import Pacing
import RESTClient
import Signing
import Upstream

/// Everything the gateway sends calls through: the shared WebSocket, the shared REST
/// connection, the credentials that sign, the upstream's clock and its rate limits.
public struct GatewayUpstreams: Sendable {
    public let webSocket: UpstreamMultiplexer
    public let rest: RESTClient
    public let credentials: Credentials?
    /// Whether the WebSocket connection is logged on (Ed25519 `session.logon`).
    public let session: SessionAuthorization
    public let clock: ServerClock
    public let limits: RateLimitGuard
    /// What `GET /metrics` reports.
    public let metrics: GatewayMetrics
    let webSocketEncoder: WebSocketRequestEncoder
    let restEncoder: RESTRequestEncoder
    let logger: Logger

    public init(
        webSocket: UpstreamMultiplexer, rest: RESTClient, credentials: Credentials?, recvWindow: Int?,
        session: SessionAuthorization, clock: ServerClock, limits: RateLimitGuard,
        metrics: GatewayMetrics = GatewayMetrics(), logger: Logger
    ) {
        self.webSocket = webSocket
        self.rest = rest
        self.credentials = credentials
        self.session = session
        self.clock = clock
        self.limits = limits
        self.metrics = metrics
        self.webSocketEncoder = WebSocketRequestEncoder(credentials: credentials, recvWindow: recvWindow)
        self.restEncoder = RESTRequestEncoder(credentials: credentials, recvWindow: recvWindow)
        self.logger = logger
    }
}
