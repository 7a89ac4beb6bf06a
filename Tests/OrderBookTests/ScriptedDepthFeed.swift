import Synchronization

@testable import OrderBook

/// A `DepthFeed` the test drives by hand: it records subscriptions and delivers what it is told.
final class ScriptedDepthFeed: DepthFeed {
    final class Subscription: DepthFeedSubscription {
        let stream: String
        let sink: @Sendable (DepthFeedMessage) -> Void
        let isCancelled = Atomic(false)

        init(stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void) {
            self.stream = stream
            self.sink = sink
        }

        func cancel() { isCancelled.store(true, ordering: .relaxed) }
    }

    let subscriptions = Mutex<[Subscription]>([])

    func subscribe(stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void) -> any DepthFeedSubscription {
        let subscription = Subscription(stream: stream, sink: sink)
        subscriptions.withLock { $0.append(subscription) }
        return subscription
    }

    /// Sends `message` to every live subscriber of `stream`.
    func send(_ message: DepthFeedMessage, on stream: String) {
        let live = subscriptions.withLock { $0.filter { $0.stream == stream && !$0.isCancelled.load(ordering: .relaxed) } }
        for subscription in live { subscription.sink(message) }
    }

    func send(_ payload: String, on stream: String) { send(.payload(Array(payload.utf8)[...]), on: stream) }
}

/// A `DepthSnapshotSource` whose requests wait until the test answers them, in any order.
final class ScriptedSnapshotSource: DepthSnapshotSource {
    typealias Completion = @Sendable (Result<ArraySlice<UInt8>, DepthSnapshotFailure>) -> Void
    let requests = Mutex<[(symbol: String, limit: Int, completion: Completion)]>([])

    func fetchSnapshot(symbol: String, limit: Int, completion: @escaping Completion) {
        requests.withLock { $0.append((symbol, limit, completion)) }
    }

    var count: Int { requests.withLock { $0.count } }

    /// Answers the request at `index` (oldest first).
    func answer(_ index: Int, _ result: Result<String, DepthSnapshotFailure>) {
        let completion = requests.withLock { $0[index].completion }
        completion(result.map { Array($0.utf8)[...] })
    }
}
