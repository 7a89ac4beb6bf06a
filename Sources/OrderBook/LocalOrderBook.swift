/// A book as of one update id: both sides, the update id and the exchange times of the last
/// snapshot or event applied. A value; `DepthSynchronizer` decides what may be applied to it.
public struct LocalOrderBook: Sendable {
    public private(set) var lastUpdateId: Int64
    public private(set) var eventTime: Int64
    public private(set) var transactionTime: Int64
    public private(set) var bids: BookSide
    public private(set) var asks: BookSide

    public init(_ snapshot: DepthSnapshot, capacity: Int = BookSide.defaultCapacity) {
        lastUpdateId = snapshot.lastUpdateId
        eventTime = snapshot.eventTime
        transactionTime = snapshot.transactionTime
        bids = BookSide(.bids, capacity: capacity)
        asks = BookSide(.asks, capacity: capacity)
        bids.replace(with: snapshot.bids)
        asks.replace(with: snapshot.asks)
    }

    /// Applies an event's absolute quantities (0 removes) and moves the book to its `u`.
    mutating func apply(_ event: DepthEvent) {
        for level in event.bids { bids.set(price: level.price, quantity: level.quantity) }
        for level in event.asks { asks.set(price: level.price, quantity: level.quantity) }
        lastUpdateId = event.finalUpdateId
        eventTime = event.eventTime
        transactionTime = event.transactionTime
    }
}
