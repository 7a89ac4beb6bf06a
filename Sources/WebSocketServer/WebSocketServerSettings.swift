import Dispatch

/// How a server-side WebSocket connection keeps itself alive and bounded.
///
/// Defaults follow Binance's WebSocket API: a ping every 3 minutes, a peer that does not
/// answer within 10 minutes is dropped. The simulator shortens them (and sets `maxAge`,
/// Binance's 24 h limit) to test reconnects and rotation quickly.
public struct WebSocketServerSettings: Sendable {
    /// Time between the server's pings.
    public var pingInterval: Duration
    /// Time a ping may go unanswered before the connection is dropped.
    public var pongTimeout: Duration
    /// When set, the connection is closed with 1001 (going away) after this long.
    public var maxAge: Duration?
    /// Largest message (and frame) accepted; larger ones close the connection with 1009.
    public var maxMessageSize: Int
    /// Time the peer has to answer our close frame before the socket is closed anyway.
    public var closeTimeout: Duration
    /// Asked before each ping sent or answered: while it returns true the connection neither
    /// pings nor answers pings (the simulator's "silent" fault). Off by default.
    public var isSilenced: @Sendable () -> Bool = { false }

    public init(
        pingInterval: Duration = .seconds(180), pongTimeout: Duration = .seconds(600), maxAge: Duration? = nil,
        maxMessageSize: Int = 1 << 20, closeTimeout: Duration = .seconds(3)
    ) {
        self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout
        self.maxAge = maxAge
        self.maxMessageSize = maxMessageSize
        self.closeTimeout = closeTimeout
    }
}
