/// What a depth feed delivers to one subscriber, in the order received.
public enum DepthFeedMessage: Sendable {
    /// One raw stream payload (a `depthUpdate` object, not the combined wrapper).
    case payload(ArraySlice<UInt8>)
    /// Payloads may have been lost (the upstream stream connection was replaced).
    case gap(reason: String)
}

/// A source of `<symbol>@depth@100ms` payloads: the gateway's stream hub, or a scripted feed in tests.
public protocol DepthFeed: Sendable {
    /// Starts delivering `stream`'s messages to `sink` (from any thread, one at a time) until the
    /// returned subscription is cancelled.
    func subscribe(
        stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void
    ) -> any DepthFeedSubscription
}

/// One subscriber's place on a `DepthFeed`.
public protocol DepthFeedSubscription: Sendable {
    /// Stops delivery; messages in flight may still arrive and are ignored by the keeper.
    func cancel()
}

/// Why a snapshot could not be had.
public enum DepthSnapshotFailure: Error, Sendable, Equatable {
    /// The exchange refused the request for a reason that will not pass (an unknown symbol):
    /// its code and message.
    case refused(code: Int, message: String)
    /// Anything that may pass (connection lost, timeout, rate limit, server error).
    case unavailable(String)
}

/// A source of depth snapshots: `depth` with limit 1000 over the WebSocket API, or REST.
public protocol DepthSnapshotSource: Sendable {
    /// Fetches `symbol`'s book; the result is the snapshot object's bytes
    /// (`{"lastUpdateId","E","T","bids","asks"}`). `completion` runs once, on any thread.
    func fetchSnapshot(
        symbol: String, limit: Int,
        completion: @escaping @Sendable (Result<ArraySlice<UInt8>, DepthSnapshotFailure>) -> Void)
}
