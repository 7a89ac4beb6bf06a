import HTTP1

/// Where a call goes upstream.
public enum UpstreamTarget: Sendable, Hashable {
    /// A method of the WebSocket API, e.g. `order.place`.
    case webSocket(String)
    /// A REST endpoint, for calls the WebSocket API lacks.
    case rest(HTTPMethod, String)

    public var description: String {
        switch self {
        case .webSocket(let method): method
        case .rest(let method, let path): "\(method.rawValue) \(path)"
        }
    }

    public var isWebSocket: Bool {
        if case .webSocket = self { return true }
        return false
    }
}

/// What a call needs from the gateway's credentials (Binance's security types).
public enum Security: Sendable, Hashable {
    /// Market data: nothing.
    case none
    /// MARKET_DATA / USER_STREAM: the API key, no signature.
    case apiKey
    /// TRADE / USER_DATA: API key, timestamp and signature (or a logged-on session).
    case signed
}

/// One entry of the catalog: a local call name and everything needed to send it upstream.
public struct CallSpec: Sendable {
    /// How python-binance rewrites a call before sending it; the gateway does the same.
    public enum Routing: Sendable, Hashable {
        case direct
        /// `ws_futures_create_order`: conditional types go to `algoOrder.place`.
        case createOrder
        /// `ws_futures_cancel_order`: `algoId`/`clientAlgoId` go to `algoOrder.cancel`.
        case cancelOrder
        /// `ws_futures_create_algo_order`: `algoType` defaults to CONDITIONAL.
        case createAlgoOrder
    }

    public let name: String
    public let target: UpstreamTarget
    public let security: Security
    public let changesState: Bool
    public let parameters: [ParameterSpec]
    /// Groups of which at least one parameter must be present (`orderId` or `origClientOrderId`).
    public let requiresOneOf: [[String]]
    public let weight: RequestWeight
    /// How many orders the call counts on the ORDERS limits.
    public let orders: Int
    public let routing: Routing
    public let summary: String

    public init(
        _ name: String, _ target: UpstreamTarget, security: Security, changesState: Bool = false,
        parameters: [ParameterSpec], requiresOneOf: [[String]] = [], weight: RequestWeight,
        orders: Int = 0, routing: Routing = .direct, summary: String
    ) {
        self.name = name
        self.target = target
        self.security = security
        self.changesState = changesState
        // Signed calls accept the caller's recvWindow; the gateway adds apiKey, timestamp, signature.
        self.parameters = security == .signed ? parameters + [.optional("recvWindow", .integer)] : parameters
        self.requiresOneOf = requiresOneOf
        self.weight = weight
        self.orders = orders
        self.routing = routing
        self.summary = summary
    }

    /// True when an HTTP GET may carry the call.
    public var allowsGET: Bool { !changesState }

    /// The parameter a client (or alias) name refers to.
    func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name || $0.aliases.contains(name) }
    }
}
