import DequeModule
import HTTP1
import Synchronization

/// Every request the simulator received, in arrival order, so the gateway's acceptance tests can
/// assert exactly what went upstream (frames byte for byte, REST queries, keys, protocol).
///
/// Always on and bounded: past `capacity` the oldest entries go. Requests are recorded when they
/// arrive, before they are answered (or dropped by a fault), so an answered request is already
/// in the journal when its answer reaches the client. Thread-safe: one mutex.
public final class SimulatorJournal: Sendable {
    private struct Storage {
        var entries = Deque<JournalEntry>()
        var nextSequence = 0
    }

    /// The most entries kept.
    public let capacity: Int
    private let storage = Mutex(Storage())

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// A snapshot of the kept entries, oldest first.
    public var entries: [JournalEntry] { storage.withLock { Array($0.entries) } }

    /// The WebSocket request frames, oldest first; only those with this `method` when given.
    public func webSocketRequests(method: String? = nil) -> [WebSocketRequestRecord] {
        entries.compactMap { entry in
            guard case .webSocket(let record) = entry, method == nil || record.method == method else { return nil }
            return record
        }
    }

    /// The REST requests, oldest first; only those for this exact `path` when given.
    public func restRequests(path: String? = nil) -> [RESTRequestRecord] {
        entries.compactMap { entry in
            guard case .rest(let record) = entry, path == nil || record.path == path else { return nil }
            return record
        }
    }

    /// Forgets every entry (sequence numbers keep counting).
    public func clear() {
        storage.withLock { $0.entries.removeAll() }
    }

    /// Records a request frame received on `connection`.
    func recordWebSocket(_ frame: [UInt8], connection: Int) {
        let (method, id) = WebSocketRequestRecord.methodAndID(frame)
        append {
            .webSocket(
                WebSocketRequestRecord(sequence: $0, connection: connection, text: frame, method: method, id: id))
        }
    }

    /// Records a REST request; `protocolVersion` is the wire protocol (`"h2"` or the HTTP/1.x text).
    func recordREST(_ request: HTTPRequest, protocolVersion: String) {
        append { sequence in
            .rest(
                RESTRequestRecord(
                    sequence: sequence, method: request.method.rawValue, path: String(request.path),
                    query: request.query.map(String.init), apiKey: request.headers["X-MBX-APIKEY"],
                    body: request.body, protocolVersion: protocolVersion))
        }
    }

    private func append(_ make: (Int) -> JournalEntry) {
        storage.withLock { storage in
            storage.entries.append(make(storage.nextSequence))
            storage.nextSequence += 1
            if storage.entries.count > capacity { storage.entries.removeFirst(storage.entries.count - capacity) }
        }
    }
}
