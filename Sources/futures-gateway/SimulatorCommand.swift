import ArgumentParser
import Dispatch
import Gateway
import HTTPServer
import Logging
import Simulator

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway simulator`: the built-in exchange simulator on its own, for paper trading
/// and for pointing other clients (python-binance, the gateway with --upstream) at it.
struct SimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract:
            "Run the built-in exchange simulator (Binance's futures WebSocket and REST APIs) on its own, or as a paper exchange (--paper)."
    )

    @Option(help: "Where to listen: HOST:PORT (port 0 picks a free port).")
    var listen: String = "127.0.0.1:9000"

    @Option(help: "Seed of the simulated market; the same seed and requests give the same answers.")
    var seed: UInt64 = 1

    @Option(
        help:
            "API keys the simulator accepts: JSON lines {\"apiKey\",\"type\":\"hmac\",\"secret\"} or {\"apiKey\",\"type\":\"ed25519\"|\"rsa\",\"publicKeyPEM\"}."
    )
    var keyFile: String?

    @Option(
        name: .customLong("hmac-key"),
        help:
            "An HMAC test key to accept, as API_KEY:SECRET (repeatable). Command lines are visible to other users of the machine: use --key-file for anything but throwaway test keys."
    )
    var hmacKeys: [String] = []

    @Option(help: "Seconds between the server's WebSocket pings.")
    var pingInterval: Double = 180

    @Option(help: "Seconds a ping may go unanswered before the connection is dropped.")
    var pongTimeout: Double = 600

    @Option(help: "Seconds after which a connection is closed with 1001, like the exchange's 24 h limit.")
    var maxConnectionAge: Double = 86_400

    @Option(help: "Fault: answer N requests per connection, then drop its socket (no close frame) on the next.")
    var faultDropAfter: Int?

    @Option(
        help:
            "Fault: answer N requests per connection; execute the next one (an order is really placed), then drop the socket unanswered."
    )
    var faultDropAfterExecuting: Int?

    @Option(
        parsing: .unconditional,
        help:
            "Fault: run the simulator's clock this many milliseconds ahead (negative: behind) for timestamps and checks."
    )
    var faultClockOffsetMs: Int?

    @Option(help: "Fault: send every answer this many milliseconds late.")
    var faultDelayMs: Int?

    @Option(help: "Fault: hold answers and release each batch of N in reverse order.")
    var faultReorder: Int?

    @Option(help: "Fault: answer METHOD with this error, as METHOD=STATUS:CODE:MSG (repeatable).")
    var faultError: [String] = []

    @Flag(help: "Fault: answer no requests and no pings; connections stay open.")
    var faultSilent = false

    @Flag(help: "Fault: refuse WebSocket handshakes with 503.")
    var faultRefuseHandshakes = false

    @Option(help: "Fault: leave out the next N depth diff events (any symbol): a gap in the pu chain.")
    var faultSkipDepthEvents: Int?

    @Option(help: "Minutes a listen key lives without a keepalive (the exchange's: 60).")
    var listenKeyLifetime: Double = 60

    @Flag(
        help:
            "Benchmarks: answer depth and ticker.book from a pre-encoded frame (the first answer to the same method and params, with the request's id): no market step, weight or journal entry. Not with fault flags."
    )
    var fastAnswer = false

    @Option(help: "REQUEST_WEIGHT per minute the simulator allows and reports in exchangeInfo (the exchange's: 2400).")
    var weightLimit: Int = 2400

    @Option(name: .customLong("order-limit-10s"), help: "ORDERS per 10 s per account (the exchange's: 300).")
    var orderLimit10s: Int = 300

    @Option(name: .customLong("order-limit-1m"), help: "ORDERS per minute per account (the exchange's: 1200).")
    var orderLimit1m: Int = 1200

    @Flag(help: "Serve GET/POST /admin/faults to read and replace the fault settings while running.")
    var faultAdmin = false

    @Flag(
        help:
            "Paper exchange: keep the accounts in --state-dir (default ./paper-state) across restarts, accept the test key kept there, and print the URLs and that key."
    )
    var paper = false

    @Option(
        help:
            "Directory that keeps the paper exchange's accounts, orders, positions and income across restarts (created 0700), and its test key."
    )
    var stateDir: String?

    @Option(
        help:
            "Seconds between funding settlements (the exchange's: 28800, at 00:00, 08:00 and 16:00 UTC). Shorter intervals let a paper account see funding sooner."
    )
    var fundingInterval: Double = 28_800

    @Option(help: "Seconds between saves of the state to --state-dir (it is also saved at shutdown).")
    var saveInterval: Double = 2

    @Option(
        help:
            "Seconds between market steps taken on a timer (every symbol moves, resting orders fill, algo orders trigger, the market streams get depth and book-ticker events) besides those each market-data request takes. Default: 1 with --paper, none otherwise; 0 turns them off. POST /admin/market changes it while running (with --fault-admin)."
    )
    var marketStepInterval: Double?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        for entry in hmacKeys where entry.split(separator: ":", maxSplits: 1).count != 2 || entry.hasPrefix(":") {
            throw ValidationError("--hmac-key takes API_KEY:SECRET")
        }
        do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        do { _ = try faults() } catch { throw ValidationError(error.description) }
        for (name, value) in [
            ("ping-interval", pingInterval), ("pong-timeout", pongTimeout),
            ("max-connection-age", maxConnectionAge), ("save-interval", saveInterval),
        ] where !(value > 0 && value <= 366 * 86_400) {
            throw ValidationError("--\(name) must be a positive number of seconds (at most a year)")
        }
        for (name, value) in [
            ("weight-limit", weightLimit), ("order-limit-10s", orderLimit10s),
            ("order-limit-1m", orderLimit1m),
        ] where value <= 0 {
            throw ValidationError("--\(name) must be positive")
        }
        if fastAnswer, (try? faults()) != nil {
            throw ValidationError("--fast-answer does not combine with fault flags")
        }
        guard fundingInterval >= 1, fundingInterval <= 366 * 86_400, fundingInterval == fundingInterval.rounded() else {
            throw ValidationError("--funding-interval must be a whole number of seconds, from 1 to a year")
        }
        if stateDir?.isEmpty == true { throw ValidationError("--state-dir needs a directory") }
        guard listenKeyLifetime > 0, listenKeyLifetime <= 24 * 60 else {
            throw ValidationError("--listen-key-lifetime must be more than 0 and at most 1440 minutes")
        }
        if let marketStepInterval, !(marketStepInterval >= 0 && marketStepInterval <= 86_400) {
            throw ValidationError("--market-step-interval must be 0 (off) to 86400 seconds")
        }
    }

    /// The state directory: --state-dir, or ./paper-state for --paper; `nil` keeps nothing.
    var stateDirectory: String? { stateDir ?? (paper ? "paper-state" : nil) }

    /// The fault switch the flags ask for, or `nil` when no fault flag is given.
    func faults() throws(SimulatorFaultsError) -> SimulatorFaultSwitch? {
        var faults = SimulatorFaults(
            dropAfter: faultDropAfter, dropAfterExecuting: faultDropAfterExecuting,
            delay: faultDelayMs.map { .milliseconds($0) }, reorder: faultReorder, silent: faultSilent,
            refuseHandshakes: faultRefuseHandshakes, clockOffset: faultClockOffsetMs.map { .milliseconds($0) },
            skipDepthEvents: faultSkipDepthEvents)
        for text in faultError {
            let (method, answer) = try SimulatorFaults.parseError(text)
            faults.errorFor[method] = answer
        }
        try faults.validate()
        guard faultAdmin || !faults.isNone else { return nil }
        return SimulatorFaultSwitch(faults, adminEnabled: faultAdmin)
    }

    func run() throws {
        logging.bootstrap()
        let logger = Logger(label: "futures-gateway.simulator")
        var keys = SimulatorKeys()
        if let keyFile {
            do { keys = try SimulatorKeys(contentsOfFile: keyFile) } catch {
                logger.critical("cannot read the key file \(keyFile): \(error)")
                throw ExitCode.failure
            }
        }
        for entry in hmacKeys {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            keys.register(apiKey: parts[0], .hmac(secret: Array(parts[1].utf8)))
        }
        let store: PaperStateStore?
        var paperKey: PaperStateStore.TestKey?
        do {
            store = try stateDirectory.map { path throws(PaperStateStore.StoreError) in
                try PaperStateStore(directory: path)
            }
            if paper, let store {
                let key = try store.testKey()
                keys.register(apiKey: key.apiKey, .hmac(secret: Array(key.secret.utf8)))
                paperKey = key
            }
        } catch {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
        if keys.credentials.isEmpty {
            logger.notice(
                "no --key-file or --hmac-key: only unsigned methods (market data, session.status) are accepted")
        }
        let faults = try faults()
        if let faults {
            logger.warning(
                "fault injection on", metadata: ["faults": "\(faults.current.json)", "admin": "\(faultAdmin)"])
        }
        let exchange = SimulatedExchange(
            seed: seed, keys: keys, weightLimit: weightLimit,
            orderLimit10s: orderLimit10s, orderLimit1m: orderLimit1m,
            fundingIntervalMillis: Int64(fundingInterval) * 1000)
        exchange.setListenKeyLifetime(millis: Int64(listenKeyLifetime * 60_000))
        let saving = DispatchQueue(label: "futures-gateway.simulator.state")
        var timers: [any DispatchSourceTimer] = []  // made only when resumed (an unresumed source may not be freed)
        if let store {
            do {
                let restored = try store.load(into: exchange)
                logger.notice(restored ? "state restored" : "new state", metadata: ["stateDir": "\(store.directory)"])
            } catch {
                logger.critical("\(error)")
                throw ExitCode.failure
            }
            let saveTimer = DispatchSource.makeTimerSource(queue: saving)
            timers.append(saveTimer)
            saveTimer.schedule(
                deadline: .now() + .milliseconds(Int(saveInterval * 1000)),
                repeating: .milliseconds(Int(saveInterval * 1000)))
            saveTimer.setEventHandler {
                do { try store.save(exchange) } catch { logger.error("cannot save the state: \(error)") }
            }
            saveTimer.resume()
        }
        if fastAnswer { logger.notice("fast-answer mode: depth and ticker.book come from pre-encoded frames") }
        let simulator = SimulatorServer(
            exchange: exchange,
            address: try ListenAddress(parsing: listen),
            connectionSettings: .init(
                pingInterval: .seconds(pingInterval),
                pongTimeout: .seconds(pongTimeout),
                maxAge: .seconds(maxConnectionAge)),
            faults: faults, fastAnswer: fastAnswer,
            marketStepInterval: (marketStepInterval ?? (paper ? 1 : nil)).map { .milliseconds(Int64($0 * 1000)) },
            logger: logger)
        // Kept alive by this frame (dispatchMain never returns): freed, its sources would stop.
        let signals = ShutdownSignals()
        signals.install { name in
            logger.info("received \(name); stopping")
            if let store {
                // On the timer's queue, so the final save never interleaves with a periodic one.
                saving.sync {
                    do { try store.save(exchange) } catch { logger.error("cannot save the state: \(error)") }
                }
            }
            simulator.shutdown { Glibc.exit(0) }
        }
        let bound: ListenAddress
        do { bound = try simulator.start() } catch {
            logger.critical("cannot listen on \(listen): \(error)")
            throw ExitCode.failure
        }
        StandardError.write("simulator listening on \(SimulatorServer.webSocketURL(for: bound) ?? bound.url)\n")
        if let paperKey, case .tcp = bound {
            PaperBanner.write(
                PaperBanner.text(address: bound.description, key: paperKey, stateDir: store?.directory ?? ""))
        }
        withExtendedLifetime(timers) { dispatchMain() }
    }
}
