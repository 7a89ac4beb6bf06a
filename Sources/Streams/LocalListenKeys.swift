import OpenSSL
import Synchronization

/// The local listen keys that drop-in clients get from `POST /fapi/v1/listenKey`: each maps to
/// the gateway's one shared user stream, so the real key never leaves the gateway.
///
/// Like the exchange, POST returns the live key (making one when there is none), PUT keeps it
/// alive, DELETE ends it. One key at a time; a `Mutex` around a value, any thread.
public final class LocalListenKeys: Sendable {
    private let current = Mutex<String?>(nil)

    public init() {}

    /// The live key, made now if there is none.
    public func create() -> String {
        current.withLock { key in
            if let key { return key }
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
            let made = String(
                decoding: SecureRandom.bytes(64).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
            key = made
            return made
        }
    }

    /// The live key, or nil when there is none (PUT then answers -1125).
    public func keepAlive() -> String? { current.withLock { $0 } }

    public func delete() { current.withLock { $0 = nil } }

    /// Whether `key` is the live local key.
    public func isValid(_ key: String) -> Bool { current.withLock { $0 == key } }
}
