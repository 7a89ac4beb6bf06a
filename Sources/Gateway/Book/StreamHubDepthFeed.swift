import OrderBook
import Streams

/// The stream hub as the order books' depth feed: each book is one more in-process subscriber of
/// its `<symbol>@depth@100ms` stream, so a book and any local clients share one upstream subscription.
struct StreamHubDepthFeed: DepthFeed {
    let hub: StreamHub

    func subscribe(stream: String, sink: @escaping @Sendable (DepthFeedMessage) -> Void) -> any DepthFeedSubscription {
        HubDepthSubscription(hub: hub, subscription: hub.subscribe(stream, sink: DepthSinkRelay(sink: sink)))
    }
}

/// Hands the hub's messages to a book: payloads as they came, gap markers as gap notices.
/// `receive` runs on the hub's queue; the book's work there is one parse and a short lock.
private final class DepthSinkRelay: StreamSink {
    let sink: @Sendable (DepthFeedMessage) -> Void

    init(sink: @escaping @Sendable (DepthFeedMessage) -> Void) { self.sink = sink }

    func receive(_ message: StreamMessage) {
        sink(message.isGap ? .gap(reason: "upstream stream interrupted") : .payload(message.payload))
    }
}

private struct HubDepthSubscription: DepthFeedSubscription {
    let hub: StreamHub
    let subscription: StreamSubscription

    func cancel() { hub.cancel(subscription) }
}
