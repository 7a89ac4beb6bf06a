/// A snapshot of the REST client for `/readyz` and metrics.
public struct RESTClientStatus: Sendable, Hashable {
    /// "h2" or "http/1.1": the protocol of the current connection, or of the last one.
    public var protocolName: String?
    /// True while a connection takes new requests.
    public var connected: Bool
    public var inFlight: Int
    public var queued: Int
    /// Open connections: the current one plus any draining after GOAWAY.
    public var openConnections: Int
    /// Connections established since the client was made (1 for a healthy, long-lived client).
    public var connectionsOpened: Int
    /// Connections replaced after one was lost or went away.
    public var reconnects: Int
}
