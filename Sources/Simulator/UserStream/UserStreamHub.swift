import Synchronization
import WebSocketServer

/// The user data streams open on the simulator (`/ws/<listenKey>`): which connections follow
/// which account, and delivery of that account's events to each of them on its own queue.
/// The table is shared by every loop, hence the mutex.
final class UserStreamHub: Sendable {
    private let subscribers = Mutex<[String: [Int: WebSocketServerConnection]]>([:])

    /// The accounts (API keys) someone follows, in key order.
    var accounts: [String] { subscribers.withLock { $0.keys.sorted() } }

    func add(_ apiKey: String, _ connection: WebSocketServerConnection) {
        subscribers.withLock { $0[apiKey, default: [:]][connection.id] = connection }
    }

    func remove(_ connection: WebSocketServerConnection) {
        subscribers.withLock { table in
            for key in table.keys { table[key]?[connection.id] = nil }
            table = table.filter { !$0.value.isEmpty }
        }
    }

    /// Sends each event, in order, to every stream of its account.
    func deliver(_ events: [(apiKey: String, text: String)]) {
        guard !events.isEmpty else { return }
        let table = subscribers.withLock { $0 }
        for (apiKey, text) in events {
            for connection in table[apiKey]?.values.sorted(by: { $0.id < $1.id }) ?? [] {
                let bytes = Array(text.utf8)
                connection.queue.async { connection.send(text: bytes) }
            }
        }
    }
}
