import ArgumentParser
import Dispatch
import EventLoops
import FoundationEssentials
import Gateway
import HTTP1
import HTTPServer
import Journal
import Logging
import OpenSSL
import OrderBook
import Pacing
import Signing
import Simulator
import Streams
import Upstream

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway serve`: binds the local HTTP API and serves until SIGINT/SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the local HTTP API."
    )

    @Option(help: "Where to listen: HOST:PORT (port 0 picks a free port) or unix:/path.")
    var listen: String = "127.0.0.1:8080"

    @Option(
        help:
            "A file holding a bearer token (mode 600) that every route but /healthz then requires; needed to listen beyond loopback."
    )
    var authTokenFile: String?

    @Option(
        name: .customLong("allow-origin"),
        help:
            "A web origin (http://HOST[:PORT]) whose pages may call the gateway, with CORS; repeatable. Others get 403."
    )
    var allowedOrigins: [String] = []

    @Option(
        name: .customLong("allow-host"),
        help:
            "Another name (NAME or NAME:PORT) clients may use in the Host header; repeatable. Loopback names always work."
    )
    var allowedHosts: [String] = []

    @Option(help: "Largest request body in bytes; larger is 413.")
    var maxBodySize: Int = 1024 * 1024

    @Option(help: "Most open client connections; past it a connection gets 503.")
    var maxConnections: Int = 16_384

    @Option(help: "Seconds a client may take to send a whole request; then 408.")
    var clientTimeout: Double = 10

    @Option(help: "Seconds an idle keep-alive connection is kept open.")
    var idleTimeout: Double = 60

    @Option(help: "Seconds to finish requests in flight after SIGINT/SIGTERM.")
    var shutdownTimeout: Double = 10

    @Option(
        help:
            "Directory of the journal of state-changing requests (idempotency answers, orders in flight), kept across restarts. Default: $XDG_STATE_HOME/futures-gateway or ~/.local/state/futures-gateway; with the embedded simulator, a new temporary directory."
    )
    var stateDir: String?

    @Option(
        name: .customLong("book"),
        help:
            "A symbol (e.g. BTCUSDT) whose local order book is kept from the start for GET /v1/book, however long it goes unread; repeatable."
    )
    var books: [String] = []

    @Option(help: "Seconds after which a local order book that nobody reads is stopped (--book ones excepted).")
    var bookIdleTimeout: Double = 300

    @OptionGroup(title: "Upstream") var upstream: UpstreamOptions

    @Flag(
        help:
            "Run the built-in exchange simulator in-process and use it as the upstream (the default when no --upstream, --testnet or BINANCE_API_KEY is given)."
    )
    var simulate = false

    @Option(help: "Seed of the embedded simulator's market.")
    var seed: UInt64 = 1

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try listenAddress()
        do { _ = try browserPolicy() } catch { throw ValidationError(error.description) }
        for symbol in books where !OrderBooks.isSymbol(symbol) {
            throw ValidationError("--book \(symbol): a symbol is 1 to 32 characters A-Z, 0-9 or _ (BTCUSDT)")
        }
        guard bookIdleTimeout > 0 else {
            throw ValidationError("--book-idle-timeout must be a positive number of seconds")
        }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        for (name, value) in [
            ("client-timeout", clientTimeout), ("idle-timeout", idleTimeout),
            ("shutdown-timeout", shutdownTimeout),
        ] where !(value > 0) {
            throw ValidationError("--\(name) must be a positive number of seconds")
        }
    }

    func run() throws {
        logging.bootstrap()
        let logger = Logger(label: "futures-gateway")
        let token = try authToken(logger: logger)
        let configuration = ServerConfiguration(
            address: try listenAddress(),
            limits: HTTPLimits(maxBodySize: maxBodySize),
            maxConnections: maxConnections,
            requestReadTimeout: .seconds(clientTimeout),
            idleTimeout: .seconds(idleTimeout),
            shutdownTimeout: .seconds(shutdownTimeout)
        )
        HTTPServer.raiseOpenFileLimit()
        var upstreamURL = upstream.url
        var restURL = upstream.restURL
        var credentials: Credentials?
        do {
            credentials = try CredentialsLoader.load(from: ProcessInfo.processInfo.environment)
        } catch {
            logger.critical("cannot load the API credentials: \(error)")
            throw ExitCode.failure
        }
        var paperAccount: (@Sendable () -> String)?
        if simulate || (!upstream.isExplicit && credentials == nil) {
            let generated = SimulatorKeys.generate()
            (upstreamURL, restURL) = try startSimulator(keys: generated.keys, logger: logger)
            if let exchange = Self.embedded?.exchange {
                paperAccount = { exchange.paperAccount(apiKey: generated.apiKey) }
            }
            credentials = Credentials(apiKey: generated.apiKey, key: .hmac(secret: Array(generated.secret.utf8)))
            logger.notice(
                "no upstream or credentials configured: using the built-in exchange simulator",
                metadata: [
                    "simulator": "\(upstreamURL)", "hint": "pass --upstream or set BINANCE_API_KEY for a real exchange",
                ])
        }
        let upstreams: GatewayUpstreams
        do {
            upstreams = try upstream.makeUpstreams(
                url: upstreamURL, restURL: restURL, credentials: credentials,
                logger: logger)
        } catch {
            logger.critical("cannot set up the upstream \(upstreamURL): \(error)")
            throw ExitCode.failure
        }
        logger.info(
            "credentials", metadata: ["key": "\(credentials.map(\.description) ?? "none: signed calls get 401")"])
        let recovery: JournalRecovery
        // A temporary state directory (embedded simulator, no --state-dir) is removed at a clean stop.
        let temporaryStateDir = Self.embedded != nil && stateDir == nil
        do {
            let directory = try stateDirectory(simulated: Self.embedded != nil)
            recovery = try JournalRecovery(journal: CallJournal(directory: directory))
            logger.info(
                "journal", metadata: ["path": "\(recovery.journal.path)", "inFlight": "\(recovery.inFlightCount)"])
        } catch {
            logger.critical("cannot open the state journal: \(error)")
            throw ExitCode.failure
        }
        let streamURL = upstream.streamURL(webSocketURL: upstreamURL)
        let hub = StreamHub(
            baseURL: streamURL,
            tls: streamURL.hasPrefix("wss://") ? try TLSClientContext(caFile: upstream.caFile) : nil,
            settings: upstream.streamSettings, listenKeys: upstreams.listenKeySource, logger: logger,
            wallClock: ServerClock.wallClockMillis)
        let streams = StreamRoutes(
            hub: hub, limits: SubscriberLimits(maxBytes: upstream.streamQueueBytes), logger: logger)
        let orderBooks = OrderBooks.gateway(
            upstreams: upstreams, hub: hub, configuration: .init(idleTimeout: .seconds(bookIdleTimeout)))
        let router = GatewayRoutes.makeRouter(
            upstreams: upstreams, recovery: recovery, paperAccount: paperAccount, streams: streams, books: orderBooks)
        let authorized: any HTTPHandler = token.map { BearerTokenGate(token: $0, inner: router) } ?? router
        let handler = RequestIdStamp(inner: BrowserGuard(policy: try browserPolicy(), inner: authorized))
        let server = HTTPServer(configuration: configuration, handler: handler, logger: logger)
        let signals = ShutdownSignals()
        signals.install { name in
            logger.info("received \(name); finishing requests in flight")
            server.shutdown {
                orderBooks.shutdown()
                hub.shutdown()
                upstreams.shutdown {
                    if temporaryStateDir { Self.remove(journalAt: recovery.journal.path) }
                    logger.info("stopped")
                    // Loop and Dispatch threads are still running: end the process without running
                    // global destructors under them (exit(3) could crash with SIGSEGV here).
                    fflush(nil)
                    Glibc._exit(0)
                }
            }
        }
        let bound: ListenAddress
        do {
            bound = try server.start()
        } catch {
            logger.critical("cannot listen on \(listen): \(error)")
            throw ExitCode.failure
        }
        StandardError.write("listening on \(bound.url)\n")
        logger.info(
            "serving",
            metadata: [
                "address": "\(bound)", "upstream": "\(upstreamURL)", "rest": "\(restURL)", "streams": "\(streamURL)",
            ])
        upstreams.start()
        hub.start()
        for symbol in books { orderBooks.maintain(symbol: symbol) }
        let released = StartupPages.release()
        logger.debug("start-up pages unmapped", metadata: ["bytes": "\(released)"])
        dispatchMain()
    }

    /// `--listen`, its host resolved once to the address to bind. Every address the name resolves
    /// to must be loopback, unless a bearer token is required: the check is made on addresses, not
    /// on the name's text, and the address checked is the address bound.
    private func listenAddress() throws -> ListenAddress {
        let resolved: [ListenAddress]
        do {
            resolved = try ListenAddress(parsing: listen).resolved()
        } catch let error as ListenAddressError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError("cannot resolve the listen address \(listen): \(error)")
        }
        guard resolved.allSatisfy(\.isLoopback) || authTokenFile != nil else {
            throw ValidationError(
                "refusing to listen on \(listen): it is not a loopback address, and anyone who can reach "
                    + "the gateway can trade with its keys. Pass --auth-token-file FILE to require a bearer token, or listen on 127.0.0.1"
            )
        }
        return resolved[0]
    }

    /// What browsers may do: see `BrowserPolicy`.
    private func browserPolicy() throws(BrowserPolicyError) -> BrowserPolicy {
        var host: String?
        if case .tcp(let name, _)? = try? ListenAddress(parsing: listen) { host = name }
        return try BrowserPolicy(listenHost: host, allowedHosts: allowedHosts, allowedOrigins: allowedOrigins)
    }

    /// The token of `--auth-token-file`: the file's text without surrounding whitespace.
    private func authToken(logger: Logger) throws -> String? {
        guard let authTokenFile else { return nil }
        do {
            let text = try SecretFile.read(authTokenFile, what: "auth token file")
            let token = String(text.trimmed())
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                throw SecretFile.Failure.unreadable(
                    what: "auth token file", path: authTokenFile,
                    reason: "it must hold one token with no spaces")
            }
            return token
        } catch {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
    }

    /// `--state-dir`, else the user's state directory, else (embedded simulator) a new temporary one.
    private func stateDirectory(simulated: Bool) throws -> String {
        if let stateDir { return stateDir }
        let environment = ProcessInfo.processInfo.environment
        if simulated {
            var template = Array(((environment["TMPDIR"] ?? "/tmp") + "/futures-gateway-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw ValidationError("cannot make a temporary state directory")
            }
            return String(cString: made)
        }
        if let base = environment["XDG_STATE_HOME"], base.hasPrefix("/") { return base + "/futures-gateway" }
        guard let home = environment["HOME"], !home.isEmpty else {
            throw ValidationError("no HOME or XDG_STATE_HOME: pass --state-dir")
        }
        return home + "/.local/state/futures-gateway"
    }

    /// Deletes a journal file (with its WAL and index) and its directory, which holds nothing else.
    private static func remove(journalAt path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        if let slash = path.lastIndex(of: "/") { rmdir(String(path[..<slash])) }
    }

    /// Starts the exchange simulator in this process on a free loopback port, knowing `keys`;
    /// returns its WebSocket and REST URLs.
    private func startSimulator(keys: SimulatorKeys, logger: Logger) throws -> (String, String) {
        let simulator = SimulatorServer(
            exchange: SimulatedExchange(seed: seed, keys: keys),
            address: .tcp(host: "127.0.0.1", port: 0),
            // Market activity, so the built-in simulator's streams carry traffic without orders.
            marketStepInterval: .milliseconds(500),
            logger: Logger(label: "futures-gateway.simulator"))
        do {
            let bound = try simulator.start()
            Self.embedded = simulator
            return (SimulatorServer.webSocketURL(for: bound)!, "http://\(bound)")
        } catch {
            logger.critical("cannot start the built-in simulator: \(error)")
            throw ExitCode.failure
        }
    }

    /// Keeps the embedded simulator alive for the life of the process.
    nonisolated(unsafe) private static var embedded: SimulatorServer?
}
