import Synchronization
import WebSocketServer

/// The user data streams open on the simulator (`/ws/<listenKey>`, `/private/ws…`): which
/// connections follow which account with which key, and delivery of that account's events to
/// each of them on its own queue. The table is shared by every loop, hence the mutex.
final class UserStreamHub: Sendable {
    private struct Follower {
        let connection: WebSocketServerConnection
        let listenKey: String
    }

    private let subscribers = Mutex<[String: [Int: Follower]]>([:])

    /// The accounts (API keys) someone follows, in key order.
    var accounts: [String] { subscribers.withLock { $0.keys.sorted() } }

    func add(_ apiKey: String, listenKey: String, _ connection: WebSocketServerConnection) {
        subscribers.withLock {
            $0[apiKey, default: [:]][connection.id] = Follower(connection: connection, listenKey: listenKey)
        }
    }

    func remove(_ connection: WebSocketServerConnection) {
        subscribers.withLock { table in
            for key in table.keys { table[key]?[connection.id] = nil }
            table = table.filter { !$0.value.isEmpty }
        }
    }

    /// Sends `event` to every stream opened with `listenKey`, which then follows nothing more.
    func expire(_ listenKey: String, event: String) {
        let followers = subscribers.withLock { table -> [Follower] in
            var gone: [Follower] = []
            for account in table.keys {
                for (id, follower) in table[account] ?? [:] where follower.listenKey == listenKey {
                    gone.append(follower)
                    table[account]?[id] = nil
                }
            }
            table = table.filter { !$0.value.isEmpty }
            return gone.sorted { $0.connection.id < $1.connection.id }
        }
        let bytes = Array(event.utf8)
        for follower in followers {
            follower.connection.queue.async { follower.connection.send(text: bytes) }
        }
    }

    /// Sends each event, in order, to every stream of its account.
    func deliver(_ events: [(apiKey: String, text: String)]) {
        guard !events.isEmpty else { return }
        let table = subscribers.withLock { $0 }
        for (apiKey, text) in events {
            for follower in table[apiKey]?.values.sorted(by: { $0.connection.id < $1.connection.id }) ?? [] {
                let bytes = Array(text.utf8)
                follower.connection.queue.async { follower.connection.send(text: bytes) }
            }
        }
    }
}
