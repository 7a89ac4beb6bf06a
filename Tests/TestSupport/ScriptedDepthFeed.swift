import OrderBook
import Synchronization

/// A `DepthFeed` the test drives by hand: it records subscriptions and delivers what it is told.
public final class ScriptedDepthFeed: DepthFeed {
    public final class Subscription: DepthFeedSubscription {
        public let stream: String
        let sink: @Sendable (DepthFeedMessage) -> Void
        public let isCancelled = Atomic(false)

        init(stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void) {
            self.stream = stream
            self.sink = sink
        }

        public func cancel() { isCancelled.store(true, ordering: .relaxed) }
    }

    public let subscriptions = Mutex<[Subscription]>([])

    public init() {}

    public func subscribe(
        stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void
    ) -> any DepthFeedSubscription {
        let subscription = Subscription(stream: stream, sink: sink)
        subscriptions.withLock { $0.append(subscription) }
        return subscription
    }

    /// Sends `message` to every live subscriber of `stream`.
    public func send(_ message: DepthFeedMessage, on stream: String) {
        let live = subscriptions.withLock {
            $0.filter { $0.stream == stream && !$0.isCancelled.load(ordering: .relaxed) }
        }
        for subscription in live { subscription.sink(message) }
    }

    public func send(_ payload: String, on stream: String) { send(.payload(Array(payload.utf8)[...]), on: stream) }
}

/// A `DepthSnapshotSource` whose requests wait until the test answers them, in any order.
public final class ScriptedSnapshotSource: DepthSnapshotSource {
    public typealias Completion = @Sendable (Result<ArraySlice<UInt8>, DepthSnapshotFailure>) -> Void
    public let requests = Mutex<[(symbol: String, limit: Int, completion: Completion)]>([])

    public init() {}

    public func fetchSnapshot(symbol: String, limit: Int, completion: @escaping Completion) {
        requests.withLock { $0.append((symbol, limit, completion)) }
    }

    public var count: Int { requests.withLock { $0.count } }

    /// Answers the request at `index` (oldest first).
    public func answer(_ index: Int, _ result: Result<String, DepthSnapshotFailure>) {
        let completion = requests.withLock { $0[index].completion }
        completion(result.map { Array($0.utf8)[...] })
    }
}
