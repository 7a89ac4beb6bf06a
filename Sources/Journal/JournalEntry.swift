/// One state-changing request as the journal keeps it: what was about to be sent, and once
/// known, its outcome and the answer the client got.
public struct JournalEntry: Sendable, Hashable {
    /// The journal's sequence number (0 before the entry is written).
    public var id: Int64
    /// Milliseconds since the Unix epoch when the request was about to be sent.
    public var createdMillis: Int64
    public var requestId: String
    /// The local call (`ws_futures_create_order`, `call/order.place`).
    public var call: String
    /// The upstream target: a WebSocket method (`order.place`) or `METHOD /path`.
    public var target: String
    /// `none`, `apiKey` or `signed`.
    public var security: String
    /// The arguments as a JSON object, before timestamp and signature are added.
    public var arguments: String
    /// The parameter that holds the client order id the gateway set or kept, if any.
    public var clientOrderIdKey: String?
    public var clientOrderId: String?
    public var idempotencyKey: String?
    /// The call and parameters the key was claimed for (see `CallRoutes`).
    public var fingerprint: [UInt8]
    /// Set once: `applied`, `rejected`, `not-sent` or `unknown`; `nil` while in flight.
    public var outcome: String?
    public var answer: JournalAnswer?
    public var finishedMillis: Int64?

    public init(
        createdMillis: Int64, requestId: String, call: String, target: String, security: String, arguments: String,
        clientOrderIdKey: String?, clientOrderId: String?, idempotencyKey: String?, fingerprint: [UInt8]
    ) {
        id = 0
        self.createdMillis = createdMillis
        self.requestId = requestId
        self.call = call
        self.target = target
        self.security = security
        self.arguments = arguments
        self.clientOrderIdKey = clientOrderIdKey
        self.clientOrderId = clientOrderId
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
    }

    public var isInFlight: Bool { outcome == nil }
}

/// The answer a client got, kept so an `Idempotency-Key` can replay it after a restart.
public struct JournalAnswer: Sendable, Hashable {
    public var status: Int
    /// Header fields, one `name: value` per line (fields the gateway wrote itself).
    public var headers: String
    public var body: [UInt8]

    public init(status: Int, headers: String, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
