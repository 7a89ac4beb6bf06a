import Dispatch
import EventLoops
import Logging
import OpenSSL
import Synchronization
import Upstream

/// The gateway's one set of upstream stream connections, shared by every local subscriber.
///
/// `subscribe(_:sink:)` and `cancel(_:)` may be called from any thread; everything else runs on
/// `queue`, which owns the state machine (`StreamHubState`), the links, the sinks and the user
/// stream. Upstream payload bytes are forwarded untouched: a combined upstream frame goes to a
/// sink as it came. Hence `@unchecked Sendable`: every entry point hops to, or checks, `queue`.
public final class StreamHub: @unchecked Sendable {
    /// The queue of the hub's event loop, which also owns its upstream stream sockets.
    public var queue: DispatchQueue { loop.queue }
    private let loop = EventLoopGroup.shared.streamLoop
    public let settings: StreamHubSettings
    /// `ws://HOST:PORT` or `wss://HOST`: the routes `/public`, `/market`, `/private` hang below it.
    public let baseURL: String

    private let tls: TLSClientContext?
    private let logger: Logger
    private let wallClock: @Sendable () -> Int64
    private let nextSubscription = Atomic<UInt64>(1)
    private var state: StreamHubState
    private var sinks: [String: [UInt64: any StreamSink]] = [:]
    private var links: [StreamLinkID: any UpstreamLink] = [:]
    private var timer: DispatchSourceTimer?
    private var user: UserStreamKeeper?
    private var isStopped = false
    private let tallies = Mutex(StreamHubCounters())

    /// - Parameters:
    ///   - baseURL: the upstream stream host, without a route.
    ///   - listenKeys: where the user stream's listen key comes from; `nil` refuses `user`.
    ///   - wallClock: milliseconds since the epoch, for the `E` of gap markers.
    public init(
        baseURL: String, tls: TLSClientContext? = nil, settings: StreamHubSettings = StreamHubSettings(),
        listenKeys: ListenKeySource? = nil, logger: Logger, wallClock: @escaping @Sendable () -> Int64
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.tls = tls
        self.settings = settings
        self.logger = logger
        self.wallClock = wallClock
        state = StreamHubState(settings: settings)
        if let listenKeys {
            user = UserStreamKeeper(
                source: listenKeys, queue: queue, logger: logger,
                connect: { [weak self] path, onFrame, onClose, completion in
                    self?.connect(path: path, onFrame: onFrame, onClose: onClose, completion: completion)
                },
                deliver: { [weak self] message in self?.fanOut(message) }, wallClock: wallClock)
        }
    }

    /// Starts the hub's timer (pacing, retries, silence, rotation, keepalive).
    public func start() {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard timer == nil else { return }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in self?.tick() }
            timer.schedule(
                deadline: .now() + .milliseconds(100), repeating: .milliseconds(100), leeway: .milliseconds(20))
            timer.activate()
            self.timer = timer
        }
    }

    /// Closes every upstream link; subscribers get nothing more.
    public func shutdown() {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            isStopped = true
            timer?.cancel()
            timer = nil
            for link in links.values { link.close() }
            links = [:]
            user?.stop()
            sinks = [:]
        }
    }

    // MARK: Subscribers

    /// Subscribes `sink` to `stream` (a valid stream name, or `user`). From any thread.
    public func subscribe(_ stream: String, sink: any StreamSink) -> StreamSubscription {
        let subscription = StreamSubscription(
            id: nextSubscription.wrappingAdd(1, ordering: .relaxed).oldValue, stream: stream)
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard !isStopped else { return }
            sinks[stream, default: [:]][subscription.id] = sink
            if stream == StreamRoute.userStream {
                if sinks[stream]?.count == 1 { user?.begin(now: now) }
            } else {
                perform(state.subscribe(stream, now: now))
            }
            tallies.withLock { $0.subscriptions += 1 }
        }
        return subscription
    }

    /// Ends a subscription; the sink gets nothing more for it. From any thread; twice is harmless.
    public func cancel(_ subscription: StreamSubscription) {
        queue.async { [self] in
            dispatchPrecondition(condition: .onQueue(queue))
            guard sinks[subscription.stream]?.removeValue(forKey: subscription.id) != nil else { return }
            tallies.withLock { $0.subscriptions -= 1 }
            if sinks[subscription.stream]?.isEmpty == true { sinks[subscription.stream] = nil }
            if subscription.stream == StreamRoute.userStream {
                if sinks[subscription.stream] == nil { user?.end() }
            } else {
                perform(state.unsubscribe(subscription.stream, now: now))
            }
        }
    }

    /// Whether the user stream can be served (a listen-key source is configured).
    public var servesUserStream: Bool { user != nil }

    /// Counters for `/metrics`, from any thread.
    public var counters: StreamHubCounters { tallies.withLock { $0 } }

    /// Counts a subscriber closed for falling behind. From any thread.
    public func countSlowConsumer() { tallies.withLock { $0.slowConsumers += 1 } }

    // MARK: Executing the state machine

    private var now: UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func tick() {
        dispatchPrecondition(condition: .onQueue(queue))
        perform(state.tick(now: now))
        user?.tick(now: now)
        let state = self.state
        tallies.withLock {
            $0.upstreamStreams = state.streams.count
            $0.upstreamConnections = state.openLinkCount
            $0.reconnects = state.reconnects
            $0.rotations = state.rotations
            $0.controlMessages = state.controlMessagesSent
        }
    }

    private func perform(_ actions: [StreamHubAction]) {
        dispatchPrecondition(condition: .onQueue(queue))
        for action in actions {
            switch action {
            case .connect(let id, let route):
                connect(
                    path: "/\(route.rawValue)/stream",
                    onFrame: { [weak self] frame in self?.received(frame, on: id) },
                    onClose: { [weak self] error in
                        guard let self, !isStopped else { return }
                        links[id] = nil
                        perform(
                            state.linkClosed(
                                id, now: now, reason: "upstream connection lost: \(error.map { "\($0)" } ?? "closed")"))
                    },
                    completion: { [weak self] result in
                        guard let self, !isStopped else {
                            if case .success(let link) = result { link.close() }
                            return
                        }
                        switch result {
                        case .success(let link):
                            links[id] = link
                            perform(state.linkOpened(id, now: now))
                        case .failure(let error):
                            logger.warning(
                                "stream upstream connect failed",
                                metadata: ["route": "\(route.rawValue)", "error": "\(error)"])
                            perform(state.linkClosed(id, now: now, reason: "connect failed"))
                        }
                    })
            case .send(let id, let frame):
                links[id]?.send(frame)
            case .close(let id):
                links.removeValue(forKey: id)?.close()
            case .gap(let streams, let reason):
                let at = wallClock()
                tallies.withLock { $0.gaps += streams.count }
                logger.notice("stream gap", metadata: ["streams": "\(streams.count)", "reason": "\(reason)"])
                for stream in streams { fanOut(.gap(stream: stream, reason: reason, atMillis: at)) }
            }
        }
    }

    private func connect(
        path: String, onFrame: @escaping @Sendable ([UInt8]) -> Void,
        onClose: @escaping @Sendable ((any Error)?) -> Void,
        completion: @escaping @Sendable (Result<any UpstreamLink, any Error>) -> Void
    ) {
        let connector: WebSocketConnector
        do {
            connector = try WebSocketConnector(
                url: baseURL + path, tls: tls, pingInterval: .seconds(30), deadAfter: .seconds(90), logger: logger)
        } catch {
            return queue.async { completion(.failure(error)) }
        }
        connector.connect(queue: queue, onFrame: onFrame, onClose: onClose, completion: completion)
    }

    private func received(_ frame: [UInt8], on link: StreamLinkID) {
        dispatchPrecondition(condition: .onQueue(queue))
        switch StreamControlFrame.classify(frame) {
        case .data(let stream, let payload):
            state.frameReceived(link, isData: true, now: now)
            guard state.delivers(link) else { return }
            fanOut(StreamMessage(stream: stream, frame: frame, payloadRange: payload))
        case .reply(let id):
            perform(state.replyReceived(link, id: id, now: now))
        case .error(let id, let text):
            state.frameReceived(link, isData: false, now: now)
            logger.warning(
                "stream upstream refused a request",
                metadata: ["id": "\(id.map(String.init) ?? "none")", "error": "\(text)"])
        case .unknown:
            state.frameReceived(link, isData: false, now: now)
            logger.debug("ignoring an upstream stream frame of unknown shape")
        }
    }

    private func fanOut(_ message: StreamMessage) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let subscribers = sinks[message.stream] else { return }
        for sink in subscribers.values { sink.receive(message) }
        tallies.withLock { $0.framesDelivered += subscribers.count }
    }
}

/// What `/metrics` reports about streams.
public struct StreamHubCounters: Sendable {
    /// Local subscriptions (one connection with three streams is three).
    public var subscriptions = 0
    /// Distinct streams subscribed upstream.
    public var upstreamStreams = 0
    public var upstreamConnections = 0
    public var reconnects = 0
    public var rotations = 0
    /// Gap markers sent (one per stream per loss).
    public var gaps = 0
    public var controlMessages = 0
    public var slowConsumers = 0
    public var framesDelivered = 0
}
