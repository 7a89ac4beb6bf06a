#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Dispatch
import Gateway
import HTTP1
import HTTPServer
import Logging
import Upstream

/// `futures-gateway serve`: binds the local HTTP API and serves until SIGINT/SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the local HTTP API."
    )

    @Option(help: "Where to listen: HOST:PORT (port 0 picks a free port) or unix:/path.")
    var listen: String = "127.0.0.1:8080"

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

    @OptionGroup(title: "Upstream") var upstream: UpstreamOptions

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        do { _ = try ListenAddress(parsing: listen) } catch { throw ValidationError(error.description) }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        for (name, value) in [("client-timeout", clientTimeout), ("idle-timeout", idleTimeout),
                              ("shutdown-timeout", shutdownTimeout)] where !(value > 0) {
            throw ValidationError("--\(name) must be a positive number of seconds")
        }
    }

    func run() throws {
        logging.bootstrap()
        let logger = Logger(label: "futures-gateway")
        let configuration = ServerConfiguration(
            address: try ListenAddress(parsing: listen),
            limits: HTTPLimits(maxBodySize: maxBodySize),
            maxConnections: maxConnections,
            requestReadTimeout: .seconds(clientTimeout),
            idleTimeout: .seconds(idleTimeout),
            shutdownTimeout: .seconds(shutdownTimeout)
        )
        HTTPServer.raiseOpenFileLimit()
        let multiplexer: UpstreamMultiplexer
        do {
            multiplexer = try upstream.makeMultiplexer(logger: logger)
        } catch {
            logger.critical("cannot set up the upstream \(upstream.url): \(error)")
            throw ExitCode.failure
        }
        let router = GatewayRoutes.makeRouter(upstream: multiplexer)
        let server = HTTPServer(configuration: configuration, handler: router, logger: logger)
        let signals = ShutdownSignals()
        signals.install { name in
            logger.info("received \(name); finishing requests in flight")
            server.shutdown {
                multiplexer.shutdown {
                    logger.info("stopped")
                    Glibc.exit(0)
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
        logger.info("serving", metadata: ["address": "\(bound)", "upstream": "\(upstream.url)"])
        multiplexer.start()
        dispatchMain()
    }
}
