import ArgumentParser
import Logging
import OpenSSL
import Upstream

/// Where the shared upstream WebSocket goes and how it is kept healthy.
struct UpstreamOptions: ParsableArguments {
    static let production = "wss://ws-fapi.binance.com/ws-fapi/v1"
    static let testnet = "wss://testnet.binancefuture.com/ws-fapi/v1"

    @Option(help: "Upstream WebSocket API URL (wss://, or ws:// for a local upstream). Default: production.")
    var upstream: String?

    @Flag(help: "Use Binance's futures testnet instead of production.")
    var testnet = false

    @Option(help: "Extra CA certificates (PEM) to trust for the upstream, besides the system store.")
    var caFile: String?

    @Option(help: "Seconds each request may take upstream; past it the client gets 504.")
    var requestTimeout: Double = 10

    @Option(help: "Requests in flight upstream at once; more wait in the queue.")
    var maxInFlight: Int = 1024

    @Option(help: "Requests waiting for the in-flight window; more get 503.")
    var maxQueued: Int = 4096

    @Option(help: "Seconds after which the upstream connection is replaced, make-before-break (upstream limit: 24 h).")
    var rotateAfter: Double = 23 * 3600

    @Option(help: "Seconds of upstream silence after which the gateway sends a ping.")
    var pingInterval: Double = 30

    @Option(help: "Seconds of upstream silence after which the connection is declared dead and replaced.")
    var deadAfter: Double = 60

    var url: String { upstream ?? (testnet ? Self.testnet : Self.production) }

    func validate() throws {
        guard upstream == nil || !testnet else { throw ValidationError("--upstream and --testnet exclude each other") }
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else {
            throw ValidationError("--upstream must be a ws:// or wss:// URL")
        }
        for (name, value) in [("request-timeout", requestTimeout), ("rotate-after", rotateAfter),
                              ("ping-interval", pingInterval), ("dead-after", deadAfter)] where !(value > 0) {
            throw ValidationError("--\(name) must be a positive number of seconds")
        }
        guard maxInFlight > 0, maxQueued >= 0 else { throw ValidationError("--max-in-flight must be positive") }
        guard deadAfter > pingInterval else { throw ValidationError("--dead-after must be longer than --ping-interval") }
    }

    /// True when the user chose an upstream; otherwise the embedded simulator may stand in.
    var isExplicit: Bool { upstream != nil || testnet }

    func makeMultiplexer(url: String, logger: Logger) throws -> UpstreamMultiplexer {
        let tls = try url.hasPrefix("wss://") ? TLSClientContext(caFile: caFile) : nil
        let connector = try WebSocketConnector(url: url, tls: tls, pingInterval: .seconds(pingInterval),
                                               deadAfter: .seconds(deadAfter), logger: logger)
        let configuration = UpstreamConfiguration(requestTimeout: .seconds(requestTimeout), maxInFlight: maxInFlight,
                                                  maxQueued: maxQueued, rotateAfter: .seconds(rotateAfter))
        return UpstreamMultiplexer(configuration: configuration, connector: connector, logger: logger)
    }
}
