import Dispatch
import Logging
import Upstream

/// Where the account's listen key comes from: the gateway sends `userDataStream.start` or
/// `userDataStream.ping` over its shared upstream and answers with the key (or the failure).
/// The completion may run on any thread.
public struct ListenKeySource: Sendable {
    public enum Request: Sendable { case start, keepAlive }

    public let request: @Sendable (Request, @escaping @Sendable (Result<String, any Error>) -> Void) -> Void

    public init(request: @escaping @Sendable (Request, @escaping @Sendable (Result<String, any Error>) -> Void) -> Void)
    {
        self.request = request
    }
}

/// The account's user data stream, kept for as long as a local subscriber wants `user`: gets a
/// listen key, connects to the upstream `/private/ws?listenKey=…`, forwards every event as it
/// came, pings the key every `keepAliveInterval`, and gets a key and a connection again when the
/// key expires (`listenKeyExpired`) or the connection is lost, with a `gatewayGap` to subscribers.
/// The key itself never reaches a subscriber: `listenKeyExpired`, the one event that carries it,
/// becomes the gap marker. Confined to the hub's queue, hence `@unchecked Sendable`.
final class UserStreamKeeper: @unchecked Sendable {
    typealias Connect = (
        _ path: String, _ onFrame: @escaping @Sendable ([UInt8]) -> Void,
        _ onClose: @escaping @Sendable ((any Error)?) -> Void,
        _ completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) -> Void

    private enum Phase {
        case idle
        case obtainingKey
        case connecting(key: String)
        case open(key: String, link: any UpstreamLink, keyAt: UInt64)
        case waiting(until: UInt64)
    }

    static let keepAliveInterval: UInt64 = 30 * 60 * 1_000_000_000
    static let expiredMarker = Array(#""listenKeyExpired""#.utf8)

    private let source: ListenKeySource
    private let queue: DispatchQueue
    private let logger: Logger
    private let connectLink: Connect
    private let deliver: (StreamMessage) -> Void
    private let wallClock: @Sendable () -> Int64
    private var phase = Phase.idle
    /// Bumped whenever the phase is abandoned, so late callbacks of an older attempt are ignored.
    private var generation = 0
    private var failures = 0
    private var keepAliveInFlight = false

    init(
        source: ListenKeySource, queue: DispatchQueue, logger: Logger, connect: @escaping Connect,
        deliver: @escaping (StreamMessage) -> Void, wallClock: @escaping @Sendable () -> Int64
    ) {
        self.wallClock = wallClock
        self.source = source
        self.queue = queue
        self.logger = logger
        self.connectLink = connect
        self.deliver = deliver
    }

    /// The first subscriber arrived.
    func begin(now: UInt64) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard case .idle = phase else { return }
        obtainKey()
    }

    /// The last subscriber left: the connection closes; the key is left to expire (it is the
    /// account's one key, which other clients may share, so it is not deleted).
    func end() {
        dispatchPrecondition(condition: .onQueue(queue))
        stop()
    }

    func stop() {
        dispatchPrecondition(condition: .onQueue(queue))
        if case .open(_, let link, _) = phase { link.close() }
        generation += 1
        phase = .idle
    }

    func tick(now: UInt64) {
        dispatchPrecondition(condition: .onQueue(queue))
        switch phase {
        case .waiting(let until) where now >= until:
            obtainKey()
        case .open(_, _, let keyAt) where now >= keyAt + Self.keepAliveInterval && !keepAliveInFlight:
            keepAlive()
        default:
            break
        }
    }

    // MARK: Steps

    private func obtainKey() {
        generation += 1
        let generation = generation
        phase = .obtainingKey
        source.request(.start) { [self] result in
            queue.async { [self] in
                dispatchPrecondition(condition: .onQueue(queue))
                guard generation == self.generation else { return }
                switch result {
                case .success(let key): connect(key: key)
                case .failure(let error): failed("cannot get a listen key: \(error)")
                }
            }
        }
    }

    private func connect(key: String) {
        let generation = generation
        phase = .connecting(key: key)
        connectLink(
            "/private/ws?listenKey=" + key,
            { [self] frame in
                dispatchPrecondition(condition: .onQueue(queue))
                guard generation == self.generation else { return }
                received(frame)
            },
            { [self] error in
                dispatchPrecondition(condition: .onQueue(queue))
                guard generation == self.generation else { return }
                lost("user stream connection lost: \(error.map { "\($0)" } ?? "closed")")
            },
            { [self] result in
                dispatchPrecondition(condition: .onQueue(queue))
                guard generation == self.generation else {
                    if case .success(let link) = result { link.close() }
                    return
                }
                switch result {
                case .success(let link):
                    phase = .open(key: key, link: link, keyAt: DispatchTime.now().uptimeNanoseconds)
                case .failure(let error):
                    failed("cannot connect the user stream: \(error)")
                }
            })
    }

    private func keepAlive() {
        keepAliveInFlight = true
        let generation = generation
        source.request(.keepAlive) { [self] result in
            queue.async { [self] in
                dispatchPrecondition(condition: .onQueue(queue))
                keepAliveInFlight = false
                guard generation == self.generation, case .open(let key, let link, _) = phase else { return }
                switch result {
                case .success(let renewed) where renewed == key:
                    phase = .open(key: key, link: link, keyAt: DispatchTime.now().uptimeNanoseconds)
                case .success, .failure:
                    replace(reason: "listen key replaced")
                }
            }
        }
    }

    private func received(_ frame: [UInt8]) {
        if case .open(_, _, _) = phase, failures > 0 { failures = 0 }
        if frame.count < 512, contains(frame, Self.expiredMarker) {
            return replace(reason: "listen key expired; replaced")
        }
        deliver(StreamMessage(stream: StreamRoute.userStream, payload: frame))
    }

    /// Closes the connection, tells subscribers, and starts over with a fresh key.
    private func replace(reason: String) {
        if case .open(_, let link, _) = phase { link.close() }
        gap(reason)
        obtainKey()
    }

    private func lost(_ reason: String) {
        gap(reason)
        generation += 1
        obtainKey()
    }

    private func failed(_ reason: String) {
        logger.warning("user stream", metadata: ["error": "\(reason)"])
        failures += 1
        let wait = min(UInt64(500_000_000) << UInt64(min(failures - 1, 6)), 30_000_000_000)
        generation += 1
        phase = .waiting(until: DispatchTime.now().uptimeNanoseconds + wait)
    }

    private func gap(_ reason: String) {
        deliver(.gap(stream: StreamRoute.userStream, reason: reason, atMillis: wallClock()))
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
