import RawJSON

/// One price level as the exchange sends it: `["7403.89","0.002"]`, the quantity absolute.
public typealias DepthLevel = (price: BookDecimal, quantity: BookDecimal)

/// One `depthUpdate` diff of the `<symbol>@depth…` stream: the updates between `U` and `u`,
/// chained to the previous event by `pu`.
public struct DepthEvent: Sendable {
    public let symbol: String
    /// Event time and transaction time, ms since the epoch (exchange clock).
    public let eventTime: Int64
    public let transactionTime: Int64
    public let firstUpdateId: Int64
    public let finalUpdateId: Int64
    public let previousFinalUpdateId: Int64
    public let bids: [DepthLevel]
    public let asks: [DepthLevel]

    public init(
        symbol: String, eventTime: Int64, transactionTime: Int64, firstUpdateId: Int64, finalUpdateId: Int64,
        previousFinalUpdateId: Int64, bids: [DepthLevel], asks: [DepthLevel]
    ) {
        self.symbol = symbol
        self.eventTime = eventTime
        self.transactionTime = transactionTime
        self.firstUpdateId = firstUpdateId
        self.finalUpdateId = finalUpdateId
        self.previousFinalUpdateId = previousFinalUpdateId
        self.bids = bids
        self.asks = asks
    }

    /// Reads a raw stream payload (not the combined `{"stream","data"}` wrapper). Strict: every
    /// field present with its type, `U <= u`, every level two canonical decimals.
    public init(parsing bytes: ArraySlice<UInt8>) throws(DepthMessageError) {
        let object: JSONObject
        do { object = try JSONObject(parsing: bytes) } catch { throw .malformedJSON }
        guard object["e"]?.string == "depthUpdate" else { throw .field("e") }
        guard let symbol = object["s"]?.string else { throw .field("s") }
        let eventTime = try Self.integer(object, "E")
        let transactionTime = try Self.integer(object, "T")
        let first = try Self.integer(object, "U")
        let final = try Self.integer(object, "u")
        let previous = try Self.integer(object, "pu")
        guard first <= final else { throw .field("U") }
        self.init(
            symbol: symbol, eventTime: eventTime, transactionTime: transactionTime, firstUpdateId: first,
            finalUpdateId: final, previousFinalUpdateId: previous,
            bids: try Self.levels(object, "b"), asks: try Self.levels(object, "a"))
    }

    static func integer(_ object: JSONObject, _ key: String) throws(DepthMessageError) -> Int64 {
        guard let value = object[key]?.integer, value >= 0 else { throw .field(key) }
        return value
    }

    static func levels(_ object: JSONObject, _ key: String) throws(DepthMessageError) -> [DepthLevel] {
        guard let elements = object[key]?.array else { throw .field(key) }
        var levels: [DepthLevel] = []
        levels.reserveCapacity(elements.count)
        for element in elements {
            guard let pair = element.array, pair.count == 2, let price = pair[0].string.flatMap(BookDecimal.init),
                let quantity = pair[1].string.flatMap(BookDecimal.init), !price.isZero
            else { throw .field(key) }
            levels.append((price, quantity))
        }
        return levels
    }
}

/// A depth snapshot (`GET /fapi/v1/depth`, or the WebSocket API's `depth` result):
/// the book as of `lastUpdateId`.
public struct DepthSnapshot: Sendable {
    public let lastUpdateId: Int64
    public let eventTime: Int64
    public let transactionTime: Int64
    public let bids: [DepthLevel]
    public let asks: [DepthLevel]

    public init(lastUpdateId: Int64, eventTime: Int64, transactionTime: Int64, bids: [DepthLevel], asks: [DepthLevel]) {
        self.lastUpdateId = lastUpdateId
        self.eventTime = eventTime
        self.transactionTime = transactionTime
        self.bids = bids
        self.asks = asks
    }

    public init(parsing bytes: ArraySlice<UInt8>) throws(DepthMessageError) {
        let object: JSONObject
        do { object = try JSONObject(parsing: bytes) } catch { throw .malformedJSON }
        self.init(
            lastUpdateId: try DepthEvent.integer(object, "lastUpdateId"),
            eventTime: try DepthEvent.integer(object, "E"), transactionTime: try DepthEvent.integer(object, "T"),
            bids: try DepthEvent.levels(object, "bids"), asks: try DepthEvent.levels(object, "asks"))
    }
}

/// Why a depth payload or snapshot was refused.
public enum DepthMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedJSON
    /// The named field is missing, of the wrong type, or out of range.
    case field(String)

    public var description: String {
        switch self {
        case .malformedJSON: "not a JSON object"
        case .field(let key): "field \(key) missing or invalid"
        }
    }
}
