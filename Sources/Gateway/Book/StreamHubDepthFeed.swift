import Dispatch
import OrderBook
import Streams
import Synchronization

/// The stream hub as the order books' depth feed: each book is one more in-process subscriber of
/// its `<symbol>@depth@100ms` stream, so a book and any local clients share one upstream subscription.
/// Books read their payloads on `queue`, never on the hub's queue, so a book's parsing does not
/// hold back other subscribers.
struct StreamHubDepthFeed: DepthFeed {
    let hub: StreamHub
    let queue = DispatchQueue(label: "futures-gateway.order-book-feed")

    func subscribe(stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void) -> any DepthFeedSubscription {
        let relay = DepthSinkRelay(queue: queue, sink: sink)
        return HubDepthSubscription(hub: hub, subscription: hub.subscribe(stream, sink: relay))
    }
}

/// Hands the hub's messages to a book on the feed's queue: payloads as they came, gap markers as
/// gap notices. At most `maximumPending` wait; past that, payloads are dropped and the book gets
/// one gap notice instead (it then resyncs), so a book that falls behind costs bounded memory.
private final class DepthSinkRelay: StreamSink {
    static let maximumPending = 256

    let queue: DispatchQueue
    let sink: @Sendable (DepthFeedMessage) -> Void
    private let pending = Atomic(0)
    private let isDropping = Atomic(false)

    init(queue: DispatchQueue, sink: @escaping @Sendable (DepthFeedMessage) -> Void) {
        self.queue = queue
        self.sink = sink
    }

    /// Runs on the hub's queue, one message at a time.
    func receive(_ message: StreamMessage) {
        guard pending.load(ordering: .acquiring) < Self.maximumPending else {
            if !isDropping.exchange(true, ordering: .relaxed) {
                queue.async { [sink] in sink(.gap(reason: "the order book fell behind its stream")) }
            }
            return
        }
        isDropping.store(false, ordering: .relaxed)
        pending.add(1, ordering: .relaxed)
        let forwarded: DepthFeedMessage =
            message.isGap ? .gap(reason: "upstream stream interrupted") : .payload(message.payload)
        queue.async { [self] in
            sink(forwarded)
            pending.subtract(1, ordering: .releasing)
        }
    }
}

private struct HubDepthSubscription: DepthFeedSubscription {
    let hub: StreamHub
    let subscription: StreamSubscription

    func cancel() { hub.cancel(subscription) }
}
