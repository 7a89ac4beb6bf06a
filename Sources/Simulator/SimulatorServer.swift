import Dispatch
import EventLoops
import FoundationEssentials
import HTTP1
import HTTP2
import HTTPServer
import Logging
import Synchronization
import WebSocketServer

/// The simulator on the network: Binance's WebSocket API at `/ws-fapi/v1`, on our HTTP server,
/// each connection with its own session (logon state) and Binance's ping schedule; the REST API
/// under `/fapi/`; the market streams and user data streams of the exchange's stream host
/// (`/public/…`, `/market/…`, `/private/…` and the legacy `/ws/…`, `/stream?streams=…`, see
/// `StreamRoutes`), fed by the matching engine and by `StreamTicker`.
public final class SimulatorServer: Sendable {
    public static let webSocketPath = "/ws-fapi/v1"
    /// User data streams: `/ws/<listenKey>`, as on Binance's stream host.
    public static let userStreamPrefix = "/ws/"
    public static let privateUserStreamPath = StreamRoutes.privatePath

    public let exchange: SimulatedExchange
    /// Every request received (WebSocket frames and REST requests), for tests to assert on.
    public let journal = SimulatorJournal()
    private let server: HTTPServer
    private let ticker: StreamTicker

    /// - Parameters:
    ///   - connectionSettings: pings, pong deadline and maximum connection age (24 h upstream).
    ///   - faults: fault injection (see `SimulatorFaults`); `nil`, the default, is none at all.
    ///   - fastAnswer: answer `depth` and `ticker.book` from a pre-encoded frame (see `FastAnswerCache`),
    ///     for benchmarks; it is ignored when `faults` is set.
    ///   - marketStepInterval: the market-activity source: every market steps this often (seeded,
    ///     like a request's step), so streams carry traffic without orders; `nil`, the default, is off.
    public init(
        exchange: SimulatedExchange, address: ListenAddress,
        connectionSettings: WebSocketServerSettings = WebSocketServerSettings(maxAge: .seconds(24 * 3600)),
        faults: SimulatorFaultSwitch? = nil, fastAnswer: Bool = false, marketStepInterval: Duration? = nil,
        logger: Logger
    ) {
        self.exchange = exchange
        let ticker = StreamTicker(exchange: exchange)
        self.ticker = ticker
        self.marketStepInterval = marketStepInterval
        let journal = journal
        var router = HTTPRouter()
        let sessions = SessionTable()
        let injector = faults.map(FaultInjector.init)
        let fastAnswers = fastAnswer && faults == nil ? FastAnswerCache() : nil
        var settings = connectionSettings
        if let faults {
            settings.isSilenced = { faults.current.silent }
            faults.observe { exchange.setClockOffset(millis: $0.clockOffset?.milliseconds ?? 0) }
        }
        let endpoint = WebSocketEndpoint(
            settings: settings, logger: logger,
            onOpen: { connection in
                sessions.open(connection, exchange.openSession())
                injector?.open(connection)
            },
            onText: { frame, connection in
                if let fastAnswers, let session = sessions[connection],
                    let answer = fastAnswers.answer(frame, compute: { exchange.handle(frame, session: session) })
                {
                    return connection.send(text: answer)
                }
                journal.recordWebSocket(frame, connection: connection.id)
                guard let session = sessions[connection] else { return }
                guard let injector else { return connection.send(text: exchange.handle(frame, session: session)) }
                injector.handle(frame, on: connection) { exchange.handle(frame, session: session) }
            },
            onClose: { connection in
                sessions.close(connection)
                injector?.close(connection)
            }
        )
        router.add(.GET, Self.webSocketPath) { request, responder in
            if let faults, faults.current.refuseHandshakes { return responder.respond(HandshakeRefusedByFault()) }
            endpoint.handle(request, responder: responder)
        }
        StreamRoutes(exchange: exchange, settings: settings, logger: logger).add(to: &router)
        if let faults {
            let streams = exchange.marketStreams
            faults.observe { faults in
                streams.skipDepthEvents(faults.skipDepthEvents ?? 0)
                if faults.dropStreams { streams.dropAll() }
                if faults.expireListenKeys { exchange.expireListenKeys(all: true) }
            }
        }
        if let faults {
            FaultAdminRoutes.register(on: &router, faults: faults)
            StreamAdminRoutes.register(on: &router, faults: faults, exchange: exchange, ticker: ticker)
        }
        RESTRoutes(exchange: exchange, faults: faults).add(to: &router)
        var configuration = ServerConfiguration(address: address).enablingH2C()
        if let takeOver = configuration.priorKnowledgeHTTP2 {
            let h2 = JournalingHandler(router: router, journal: journal, protocolVersion: "h2")
            configuration.priorKnowledgeHTTP2 = { connection, _, configuration in
                takeOver(connection, h2, configuration)
            }
        }
        server = HTTPServer(
            configuration: configuration,
            handler: JournalingHandler(router: router, journal: journal, protocolVersion: nil), logger: logger)
    }

    /// Binds and serves; returns the bound address (with the real port for port 0).
    @discardableResult
    public func start() throws(SocketError) -> ListenAddress {
        let bound = try server.start()
        ticker.start(marketStepInterval: marketStepInterval)
        return bound
    }

    private let marketStepInterval: Duration?

    /// Changes the market-activity interval while running (`nil` or zero: off).
    public func setMarketStepInterval(_ interval: Duration?) { ticker.setMarketStepInterval(interval) }

    /// The `ws://` URL of the WebSocket API for a bound TCP address.
    public static func webSocketURL(for address: ListenAddress) -> String? {
        guard case .tcp = address else { return nil }
        return "ws://\(address.description)\(webSocketPath)"
    }

    public func shutdown(completion: @escaping @Sendable () -> Void = {}) {
        ticker.stop()
        server.shutdown(completion: completion)
    }
}

/// The sessions of open connections. A session itself is used only on its connection's queue,
/// which every entry point checks; the table is shared by all loops, hence the lock, and
/// `@unchecked Sendable`: `sessions` is read and written only inside `lock.withLock` (the lock
/// cannot hold the dictionary itself, because a session is not `Sendable` and could not be
/// handed out of it).
private final class SessionTable: @unchecked Sendable {
    private let lock = Mutex(())
    private var sessions: [Int: ExchangeSession] = [:]

    func open(_ connection: WebSocketServerConnection, _ session: ExchangeSession) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        lock.withLock { _ in sessions[connection.id] = session }
    }

    subscript(connection: WebSocketServerConnection) -> ExchangeSession? {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        nonisolated(unsafe) var session: ExchangeSession?
        lock.withLock { _ in session = sessions[connection.id] }
        return session
    }

    func close(_ connection: WebSocketServerConnection) {
        dispatchPrecondition(condition: .onQueue(connection.queue))
        lock.withLock { _ in _ = sessions.removeValue(forKey: connection.id) }
    }
}
