import Dispatch
import HTTP1
import HTTPServer

/// One `GET /v1/events` client: Server-Sent Events on the connection taken over after the
/// response head, until the client leaves.
///
/// Each frame is `event: <stream>` and `data: <payload>` (a payload's line breaks start further
/// `data:` lines, as the format requires); a `: heartbeat` comment goes out every 15 s. No replay:
/// `Last-Event-ID` is ignored and events carry no id. The body ends when the connection closes
/// (`Connection: close`), so `curl -N` prints events as they come. A slow reader gets a final
/// `event: gatewayClosed` and the connection closes. Confined to the connection's queue.
final class EventStreamSession: @unchecked Sendable {
    static let heartbeatInterval: UInt64 = 15_000_000_000

    static let responseHead = HTTPResponse(
        status: .ok,
        headers: [
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "Connection": "close",
            "X-Accel-Buffering": "no",
        ])

    private let hub: StreamHub
    private let streams: [String]
    private let limits: SubscriberLimits
    private var subscriptions: [StreamSubscription] = []
    private var sink: SubscriberQueue?
    private var lastHeartbeat = DispatchTime.now()

    init(hub: StreamHub, streams: [String], limits: SubscriberLimits) {
        self.hub = hub
        self.streams = streams
        self.limits = limits
    }

    func start(_ connection: UpgradedConnection) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        let hub = hub
        let sink = SubscriberQueue(
            limits: limits, queue: connection.queue,
            write: { message in connection.write(Self.event(message)) },
            buffered: { connection.bufferedByteCount },
            overflow: { [self] in
                dispatchPrecondition(condition: .onQueue(connection.queue))
                hub.countSlowConsumer()
                cancelAll()
                connection.write(Array("event: gatewayClosed\ndata: {\"reason\":\"slow consumer\"}\n\n".utf8))
                connection.close(afterFlushing: true)
            })
        self.sink = sink
        connection.start(
            onBytes: { _ in },  // a client has nothing to say on an event stream; what it sends is dropped
            onClose: { [self] in
                dispatchPrecondition(condition: .onQueue(connection.queue))
                cancelAll()
            },
            onTick: { [self] now in
                dispatchPrecondition(condition: .onQueue(connection.queue))
                guard now.uptimeNanoseconds >= lastHeartbeat.uptimeNanoseconds + Self.heartbeatInterval else { return }
                lastHeartbeat = now
                connection.write(Array(": heartbeat\n\n".utf8))
            },
            onShutdown: { [self] in
                dispatchPrecondition(condition: .onQueue(connection.queue))
                cancelAll()
                connection.close(afterFlushing: true)
            })
        connection.write(Array(": streams \(streams.joined(separator: "/"))\n\n".utf8))
        subscriptions = streams.map { hub.subscribe($0, sink: sink) }
    }

    private func cancelAll() {
        for subscription in subscriptions { hub.cancel(subscription) }
        subscriptions = []
        sink?.end()
        sink = nil
    }

    /// `event: <stream>\ndata: <line>\n…\n\n`.
    static func event(_ message: StreamMessage) -> [UInt8] {
        var out = Array("event: ".utf8)
        out.reserveCapacity(message.payloadRange.count + message.stream.utf8.count + 20)
        out.append(contentsOf: message.stream.utf8)
        out.append(contentsOf: "\ndata: ".utf8)
        var previousWasCR = false
        for byte in message.payload {
            if byte == UInt8(ascii: "\n") && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == UInt8(ascii: "\r")
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                out.append(contentsOf: "\ndata: ".utf8)
            } else {
                out.append(byte)
            }
        }
        out.append(contentsOf: "\n\n".utf8)
        return out
    }
}
