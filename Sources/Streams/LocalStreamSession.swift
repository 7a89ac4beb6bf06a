import Dispatch
import WebSocket
import WebSocketServer

/// One local WebSocket stream connection: its streams, its `combined` property, its control
/// messages, and its bounded queue from the hub.
///
/// Frames are `{"stream","data"}` when combined (`/stream`), the bare payload otherwise (`/ws/`).
/// Control messages are answered locally in the exchange's words; more than 10 in a second
/// closes the connection (1008), as the exchange disconnects; past 1024 streams a SUBSCRIBE is
/// refused. Confined to the connection's queue once open, hence `@unchecked Sendable`.
final class LocalStreamSession: @unchecked Sendable {
    static let maxStreams = 1024
    static let maxMessagesPerSecond = 10

    private let hub: StreamHub
    private let limits: SubscriberLimits
    private let initialStreams: [String]
    private var combined: Bool
    private var subscriptions: [(stream: String, subscription: StreamSubscription)] = []
    private var sink: SubscriberQueue?
    private var connection: WebSocketServerConnection?
    private var recentMessages: [DispatchTime] = []

    init(hub: StreamHub, streams: [String], combined: Bool, limits: SubscriberLimits) {
        self.hub = hub
        self.initialStreams = streams
        self.combined = combined
        self.limits = limits
    }

    func open(_ connection: WebSocketServerConnection) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        self.connection = connection
        let hub = hub
        sink = SubscriberQueue(
            limits: limits, queue: connection.queue,
            write: { [self] message in
                connection.send(text: combined ? message.frame : Array(message.payload))
            },
            buffered: { connection.bufferedByteCount },
            overflow: { [self] in
                hub.countSlowConsumer()
                cancelAll()
                connection.close(code: .policyViolation, reason: "slow consumer")
            })
        subscribe(initialStreams)
    }

    func text(_ bytes: [UInt8], on connection: WebSocketServerConnection) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        let now = DispatchTime.now()
        recentMessages.removeAll { now.uptimeNanoseconds - $0.uptimeNanoseconds >= 1_000_000_000 }
        recentMessages.append(now)
        guard recentMessages.count <= Self.maxMessagesPerSecond else {
            cancelAll()
            return connection.close(code: .policyViolation, reason: "too many messages")
        }
        switch StreamControlRequest.parse(bytes) {
        case .failure(let refusal):
            connection.send(text: refusal.json)
        case .success(let request):
            connection.send(text: answer(request))
        }
    }

    func closed() {
        if let connection { dispatchPrecondition(condition: .onQueue(connection.queue)) }
        cancelAll()
        sink = nil
        connection = nil
    }

    // MARK: Internals

    private func answer(_ request: StreamControlRequest) -> [UInt8] {
        switch request.method {
        case .subscribe(let streams):
            let new = streams.filter { stream in !subscriptions.contains { $0.stream == stream } }
            if let refusal = refusal(for: new, id: request.idJSON) { return refusal.json }
            subscribe(new)
            return request.answer(result: "null")
        case .unsubscribe(let streams):
            for stream in streams {
                guard let index = subscriptions.firstIndex(where: { $0.stream == stream }) else { continue }
                hub.cancel(subscriptions.remove(at: index).subscription)
            }
            return request.answer(result: "null")
        case .listSubscriptions:
            return request.answer(result: "[" + subscriptions.map { "\"\($0.stream)\"" }.joined(separator: ",") + "]")
        case .setCombined(let value):
            combined = value
            return request.answer(result: "null")
        case .getCombined:
            return request.answer(result: combined ? "true" : "false")
        }
    }

    private func refusal(for streams: [String], id: String) -> StreamControlRequest.Refusal? {
        if subscriptions.count + streams.count > Self.maxStreams {
            return .init(code: 2, message: "Invalid request: too many streams (at most \(Self.maxStreams))", idJSON: id)
        }
        if streams.contains(StreamRoute.userStream), !hub.servesUserStream {
            return .init(code: 2, message: "Invalid request: no user stream without API credentials", idJSON: id)
        }
        return nil
    }

    private func subscribe(_ streams: [String]) {
        guard let sink else { return }
        for stream in streams { subscriptions.append((stream, hub.subscribe(stream, sink: sink))) }
    }

    private func cancelAll() {
        for entry in subscriptions { hub.cancel(entry.subscription) }
        subscriptions = []
        sink?.end()
    }
}
