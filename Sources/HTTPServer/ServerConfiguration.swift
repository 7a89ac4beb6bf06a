import HTTP1

/// Everything that tunes the server; defaults suit a local gateway.
public struct ServerConfiguration: Sendable {
    public var address: ListenAddress
    public var limits: HTTPLimits
    /// Most connections open at once; the next one is answered 503 and closed.
    public var maxConnections: Int
    /// Time allowed from the first byte of a request until it is complete; then 408.
    public var requestReadTimeout: Duration
    /// Time an idle keep-alive connection (or a stalled write) is kept open.
    public var idleTimeout: Duration
    /// Requests one connection may have unanswered (being handled, or answered and not yet taken
    /// by the client); more wait unread.
    public var maxPipelinedRequests: Int
    /// Time allowed to finish requests in flight after shutdown begins.
    public var shutdownTimeout: Duration
    /// Time a client may take no bytes while a response waits for it; then it is closed.
    public var writeTimeout: Duration
    /// Unsent response bytes on one connection past which no further request is decoded or read.
    public var maxBufferedOutput: Int
    /// Received, undecoded bytes on one connection past which nothing more is read.
    public var maxBufferedInput: Int
    /// Bytes all connections together may hold in buffers (input, bodies, unsent output); past it
    /// (and a reserve of a quarter more for connections holding nothing) no connection reads or
    /// decodes until some are freed (answers taken, timeouts). See `MemoryBudget`.
    public var memoryBudget: Int
    /// While the memory budget is spent, the write and request read timeouts shrink to this: the
    /// clients that hold memory without taking answers or finishing requests are let go first.
    public var pressureTimeout: Duration
    /// Takes connections that open with the HTTP/2 client preface (h2c with prior knowledge),
    /// with the bytes read so far; `nil`, the default, serves HTTP/1.1 only. The HTTP2 module sets it.
    public var priorKnowledgeHTTP2: PriorKnowledgeTakeOver?

    /// Runs a connection taken over for another protocol, answering requests with the server's handler,
    /// under the server's configuration (its limits and idle timeout apply to that protocol too).
    public typealias PriorKnowledgeTakeOver =
        @Sendable (UpgradedConnection, any HTTPHandler, ServerConfiguration) -> Void

    public init(
        address: ListenAddress = .tcp(host: "127.0.0.1", port: 8080),
        limits: HTTPLimits = HTTPLimits(),
        maxConnections: Int = 16_384,
        requestReadTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        maxPipelinedRequests: Int = 64,
        shutdownTimeout: Duration = .seconds(10),
        writeTimeout: Duration = .seconds(10),
        maxBufferedOutput: Int = 256 * 1024,
        maxBufferedInput: Int = 64 * 1024,
        memoryBudget: Int = 8 * 1024 * 1024,
        pressureTimeout: Duration = .seconds(1)
    ) {
        self.address = address
        self.limits = limits
        self.maxConnections = maxConnections
        self.requestReadTimeout = requestReadTimeout
        self.idleTimeout = idleTimeout
        self.maxPipelinedRequests = maxPipelinedRequests
        self.shutdownTimeout = shutdownTimeout
        self.writeTimeout = writeTimeout
        self.maxBufferedOutput = maxBufferedOutput
        self.maxBufferedInput = maxBufferedInput
        self.memoryBudget = memoryBudget
        self.pressureTimeout = pressureTimeout
    }
}
