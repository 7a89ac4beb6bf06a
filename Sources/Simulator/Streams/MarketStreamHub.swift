import RawJSON
import Synchronization
import WebSocket
import WebSocketServer

/// The market-stream connections open on the simulator (`/public/…`, `/market/…`, legacy `/ws/…`
/// and `/stream?…`): each one's subscriptions, and delivery of published events to the
/// connections that subscribed to their stream and whose route carries it.
///
/// The table is shared by every loop and by the exchange (which publishes while it holds its
/// state lock, so events leave in the order they happened), hence the mutex. Sending happens on
/// each connection's own queue.
final class MarketStreamHub: Sendable {
    /// Bytes a connection may have queued and unsent before it is closed as a slow consumer.
    static let maxBufferedBytes = 8 << 20

    private struct Entry {
        let connection: WebSocketServerConnection
        var subscriptions: StreamSubscriptions
    }

    private struct Table {
        var entries: [Int: Entry] = [:]
        /// Stream name → ids of the connections subscribed to it.
        var subscribers: [String: Set<Int>] = [:]
        var subscribeMessages = 0
        /// Depth diff events still to leave out (the `skipDepthEvents` fault).
        var depthEventsToSkip = 0

        mutating func reindex(_ id: Int, from old: [String], to new: [String]) {
            for name in old where !new.contains(name) {
                subscribers[name]?.remove(id)
                if subscribers[name]?.isEmpty == true { subscribers[name] = nil }
            }
            for name in new { subscribers[name, default: []].insert(id) }
        }
    }

    private let table = Mutex(Table())
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64) {
        self.clock = clock
    }

    func open(_ connection: WebSocketServerConnection, _ subscriptions: StreamSubscriptions) {
        table.withLock { table in
            table.entries[connection.id] = Entry(connection: connection, subscriptions: subscriptions)
            table.reindex(connection.id, from: [], to: subscriptions.streams)
        }
    }

    func close(_ connection: WebSocketServerConnection) {
        table.withLock { table in
            guard let entry = table.entries.removeValue(forKey: connection.id) else { return }
            table.reindex(connection.id, from: entry.subscriptions.streams, to: [])
        }
    }

    /// Handles a control message of `connection`, on its queue: the reply, or a close.
    func receive(_ text: [UInt8], on connection: WebSocketServerConnection) {
        let now = clock()
        let action = table.withLock { table -> StreamSubscriptions.Action? in
            guard var entry = table.entries[connection.id] else { return nil }
            let (before, messages) = (entry.subscriptions.streams, entry.subscriptions.subscribeMessages)
            let action = entry.subscriptions.receive(text, now: now)
            table.subscribeMessages += entry.subscriptions.subscribeMessages - messages
            table.reindex(connection.id, from: before, to: entry.subscriptions.streams)
            table.entries[connection.id] = entry
            return action
        }
        switch action {
        case .reply(let text): connection.send(text: Array(text.utf8))
        case .close(let reason): connection.close(code: .policyViolation, reason: reason)
        case nil: break
        }
    }

    /// Whether any connection has a subscription at all (else no event is made).
    var hasSubscribers: Bool { table.withLock { !$0.subscribers.isEmpty } }

    /// Whether any connection subscribed to one of `names` (events nobody wants are not made).
    func isSubscribed(anyOf names: [String]) -> Bool {
        table.withLock { table in names.contains { table.subscribers[$0] != nil } }
    }

    /// Sends `payload` to every connection subscribed to one of `names` whose route carries it,
    /// framed per connection (`{"stream","data"}` when `combined`). A connection subscribed to
    /// several of the names gets it once, under the first. A depth diff (`isDepthDiff`) is left
    /// out while the `skipDepthEvents` fault has some to skip.
    func publish(_ payload: String, to names: [String], isDepthDiff: Bool = false) {
        table.withLock { table in
            if isDepthDiff, table.depthEventsToSkip > 0, names.contains(where: { table.subscribers[$0] != nil }) {
                table.depthEventsToSkip -= 1
                return
            }
            var sent: Set<Int> = []
            for name in names {
                for id in table.subscribers[name] ?? [] where !sent.contains(id) {
                    guard let entry = table.entries[id], entry.subscriptions.route.carries(name) else { continue }
                    sent.insert(id)
                    let text =
                        entry.subscriptions.isCombined
                        ? #"{"stream":\#(JSONString.quoted(name)),"data":\#(payload)}"# : payload
                    Self.send(Array(text.utf8), on: entry.connection)
                }
            }
        }
    }

    private static func send(_ bytes: [UInt8], on connection: WebSocketServerConnection) {
        connection.queue.async {
            guard connection.bufferedByteCount <= maxBufferedBytes else {
                return connection.close(code: .policyViolation, reason: "slow consumer")
            }
            connection.send(text: bytes)
        }
    }

    /// The `skipDepthEvents` fault: the next `count` depth diff events (any symbol) are not sent.
    func skipDepthEvents(_ count: Int) {
        table.withLock { $0.depthEventsToSkip = max(0, count) }
    }

    /// The `dropStreams` fault: closes every market-stream connection now, without a close frame.
    func dropAll() {
        for entry in table.withLock({ Array($0.entries.values) }) {
            entry.connection.queue.async { entry.connection.abort() }
        }
    }

    /// `GET /admin/streams`: `{"connections":[{"id","route","combined","streams"}],"subscribeMessages"}`,
    /// connections in the order they opened.
    var adminJSON: String {
        table.withLock { table in
            let rows = table.entries.keys.sorted().map { id -> String in
                let subscriptions = table.entries[id]!.subscriptions
                let streams = subscriptions.streams.map(JSONString.quoted).joined(separator: ",")
                return #"{"id":\#(id),"route":"\#(subscriptions.route.rawValue)","#
                    + #""combined":\#(subscriptions.isCombined),"streams":[\#(streams)]}"#
            }
            return #"{"connections":[\#(rows.joined(separator: ","))],"subscribeMessages":\#(table.subscribeMessages)}"#
        }
    }
}
