import FoundationEssentials
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A paper exchange's directory (`--state-dir`): its test key (`paper-key.jsonl`, in the
/// `--key-file` format) and its saved state (`exchange-state.json`, see `ExchangeSnapshot`),
/// both readable by the owner only. The state is written whole to a temporary file and renamed
/// over the old one, so a crash leaves either the old state or the new one.
///
/// Whoever saves periodically owns the timer. Saves may come from any queue: the mutex around
/// the last bytes written serializes them and skips an unchanged state.
public final class PaperStateStore: Sendable {
    public struct StoreError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The generated test key (an HMAC key the simulator accepts).
    public struct TestKey: Sendable {
        public let apiKey: String
        public let secret: String
    }

    public let directory: String
    private let lastSaved = Mutex<[UInt8]>([])

    public var keyFile: String { directory + "/paper-key.jsonl" }
    public var stateFile: String { directory + "/exchange-state.json" }

    /// Opens (creating, mode 0700) the directory.
    public init(directory: String) throws(StoreError) {
        self.directory = directory
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw StoreError(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// The directory's test key, made on first use.
    public func testKey() throws(StoreError) -> TestKey {
        if let text = try? String(contentsOfFile: keyFile, encoding: .utf8) {
            let keys: SimulatorKeys
            do { keys = try SimulatorKeys(keyFile: text) } catch {
                throw StoreError(description: "\(keyFile): \(error)")
            }
            guard let apiKey = keys.credentials.keys.sorted().first, case .hmac(let secret)? = keys[apiKey] else {
                throw StoreError(description: "\(keyFile) holds no HMAC key")
            }
            return TestKey(apiKey: apiKey, secret: String(decoding: secret, as: UTF8.self))
        }
        let key = TestKey(apiKey: SimulatorKeys.randomAlphanumerics(64), secret: SimulatorKeys.randomAlphanumerics(64))
        let line = #"{"apiKey":"\#(key.apiKey)","type":"hmac","secret":"\#(key.secret)"}"# + "\n"
        try Self.write(Array(line.utf8), to: keyFile)
        return key
    }

    /// Restores `exchange` from the saved state, if there is one; answers whether there was.
    public func load(into exchange: SimulatedExchange) throws(StoreError) -> Bool {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: stateFile)) else { return false }
        do { try exchange.restore(Array(data)) } catch { throw StoreError(description: "\(stateFile): \(error)") }
        lastSaved.withLock { $0 = Array(data) }
        return true
    }

    /// Writes the exchange's state if it changed since the last write. Saves are serialized by
    /// the mutex, so two callers never write the temporary file at once.
    public func save(_ exchange: SimulatedExchange) throws(StoreError) {
        let bytes = exchange.snapshot()
        let path = stateFile
        try lastSaved.withLock { (last: inout [UInt8]) throws(StoreError) in
            guard last != bytes else { return }
            try Self.write(bytes, to: path)
            last = bytes
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else {
            throw StoreError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(fd)
                throw StoreError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            written += count
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw StoreError(description: "cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }
}
