import ArgumentParser
import Gateway
import Logging
import OpenSSL
import Pacing
import RESTClient
import Signing
import Streams
import Upstream

/// Where the shared upstream WebSocket goes and how it is kept healthy.
struct UpstreamOptions: ParsableArguments {
    static let production = "wss://ws-fapi.binance.com/ws-fapi/v1"
    static let testnet = "wss://testnet.binancefuture.com/ws-fapi/v1"
    static let productionREST = "https://fapi.binance.com"
    static let testnetREST = "https://testnet.binancefuture.com"

    @Option(help: "Upstream WebSocket API URL (wss://, or ws:// for a local upstream). Default: production.")
    var upstream: String?

    @Option(
        help:
            "Upstream REST API base URL, for the calls the WebSocket API lacks (https://, or http:// for a local upstream). Default: production."
    )
    var restUpstream: String?

    @Option(help: "REST protocol: auto (HTTP/2, else HTTP/1.1), h2 or http1.")
    var restProtocol: RESTProtocol = .auto

    @Flag(help: "Use Binance's futures testnet instead of production (both URLs).")
    var testnet = false

    @Option(
        help:
            "recvWindow in milliseconds added to signed requests that carry none (upstream default 5000; at most 60000)."
    )
    var recvWindow: Int?

    @Option(help: "Extra CA certificates (PEM) to trust for the upstream, besides the system store.")
    var caFile: String?

    @Option(help: "Seconds each request may take upstream; past it the client gets 504.")
    var requestTimeout: Double = 10

    @Option(help: "Seconds a request waits for an upstream connection while none is up; then 503 not-sent.")
    var connectWait: Double = 1

    @Option(help: "Requests in flight upstream at once; more wait in the queue.")
    var maxInFlight: Int = 1024

    @Option(help: "Requests waiting for the in-flight window; more get 503.")
    var maxQueued: Int = 4096

    @Option(help: "Seconds after which the upstream connection is replaced, make-before-break (upstream limit: 24 h).")
    var rotateAfter: Double = 23 * 3600

    @Option(
        help:
            "Upstream market/user stream host (wss://HOST, or ws://HOST:PORT for a local upstream); /public, /market and /private hang below it. Default: the embedded simulator's, else the host of a ws:// --upstream, else production (testnet with --testnet)."
    )
    var streamUpstream: String?

    @Option(help: "Seconds without any frame after which an upstream stream connection with subscriptions is replaced.")
    var streamSilence: Double = 120

    @Option(
        help: "Seconds after which an upstream stream connection is replaced, make-before-break (upstream limit: 24 h)."
    )
    var streamRotateAfter: Double = 23 * 3600

    @Option(help: "Bytes a local stream subscriber may have waiting; past it, it is closed (1008 slow consumer).")
    var streamQueueBytes: Int = 1 << 20

    @Option(help: "Seconds of upstream silence after which the gateway sends a ping.")
    var pingInterval: Double = 30

    @Option(help: "Seconds of upstream silence after which the connection is declared dead and replaced.")
    var deadAfter: Double = 60

    var url: String { upstream ?? (testnet ? Self.testnet : Self.production) }

    var restURL: String { restUpstream ?? (testnet ? Self.testnetREST : Self.productionREST) }

    static let productionStreams = "wss://fstream.binance.com"
    static let testnetStreams = "wss://fstream.binancefuture.com"

    /// The stream host: `--stream-upstream`, else the host of a local `ws://` WebSocket API
    /// upstream (the simulator serves both), else production or testnet.
    func streamURL(webSocketURL: String) -> String {
        if let streamUpstream { return streamUpstream }
        if testnet { return Self.testnetStreams }
        if webSocketURL.hasPrefix("ws://"), let end = webSocketURL.dropFirst(5).firstIndex(of: "/") {
            return String(webSocketURL[..<end])
        }
        return Self.productionStreams
    }

    /// The hub's settings from the stream options.
    var streamSettings: StreamHubSettings {
        var settings = StreamHubSettings()
        settings.silentAfter = .milliseconds(Int64(streamSilence * 1000))
        settings.rotateAfter = .milliseconds(Int64(streamRotateAfter * 1000))
        return settings
    }

    func validate() throws {
        guard (upstream == nil && restUpstream == nil) || !testnet else {
            throw ValidationError("--upstream/--rest-upstream and --testnet exclude each other")
        }
        guard restURL.hasPrefix("http://") || restURL.hasPrefix("https://") else {
            throw ValidationError("--rest-upstream must be an http:// or https:// URL")
        }
        if let recvWindow, !(1...60000).contains(recvWindow) {
            throw ValidationError("--recv-window must be 1 to 60000 milliseconds")
        }
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else {
            throw ValidationError("--upstream must be a ws:// or wss:// URL")
        }
        for (name, value) in [
            ("request-timeout", requestTimeout), ("connect-wait", connectWait), ("rotate-after", rotateAfter),
            ("ping-interval", pingInterval), ("dead-after", deadAfter), ("stream-silence", streamSilence),
            ("stream-rotate-after", streamRotateAfter),
        ] where !(value > 0) {
            throw ValidationError("--\(name) must be a positive number of seconds")
        }
        if let streamUpstream, !(streamUpstream.hasPrefix("ws://") || streamUpstream.hasPrefix("wss://")) {
            throw ValidationError("--stream-upstream must be a ws:// or wss:// URL")
        }
        guard streamQueueBytes >= 4096 else { throw ValidationError("--stream-queue-bytes must be at least 4096") }
        guard maxInFlight > 0, maxQueued >= 0 else { throw ValidationError("--max-in-flight must be positive") }
        guard deadAfter > pingInterval else {
            throw ValidationError("--dead-after must be longer than --ping-interval")
        }
    }

    /// True when the user chose an upstream; otherwise the embedded simulator may stand in.
    var isExplicit: Bool { upstream != nil || restUpstream != nil || testnet }

    /// The shared WebSocket and REST connections, signing with `credentials`.
    func makeUpstreams(
        url: String, restURL: String, credentials: Credentials?, logger: Logger
    ) throws -> GatewayUpstreams {
        let tls = try url.hasPrefix("wss://") ? TLSClientContext(caFile: caFile) : nil
        let session = SessionAuthorization()
        let encoder = WebSocketRequestEncoder(credentials: credentials, recvWindow: recvWindow)
        let clock = ServerClock()
        var connector: any UpstreamConnector = try WebSocketConnector(
            url: url, tls: tls, pingInterval: .seconds(pingInterval), deadAfter: .seconds(deadAfter), logger: logger)
        if credentials?.canLogOn == true {
            connector = SessionLogonConnector(inner: connector, authorization: session, logger: logger) { id in
                let params = encoder.logonParameters(timestamp: clock.now()) ?? .init()
                return WebSocketRequestEncoder.frame(id: id, method: "session.logon", params: params)
            }
        }
        let configuration = UpstreamConfiguration(
            requestTimeout: .seconds(requestTimeout), connectWait: .seconds(connectWait),
            maxInFlight: maxInFlight,
            maxQueued: maxQueued, rotateAfter: .seconds(rotateAfter))
        let multiplexer = UpstreamMultiplexer(configuration: configuration, connector: connector, logger: logger)
        let restTLS =
            try restURL.hasPrefix("https://") ? TLSClientContext(caFile: caFile, alpn: ["h2", "http/1.1"]) : nil
        let rest = try RESTClient(
            baseURL: restURL, protocol: restProtocol, tls: restTLS,
            configuration: RESTClientConfiguration(
                requestTimeout: .seconds(requestTimeout), connectWait: .seconds(connectWait),
                maxInFlight: maxInFlight,
                maxQueued: maxQueued),
            logger: logger)
        return GatewayUpstreams(
            webSocket: multiplexer, rest: rest, credentials: credentials, recvWindow: recvWindow,
            session: session, clock: clock, limits: RateLimitGuard(clock: clock.now),
            logger: logger)
    }
}
extension RESTProtocol: ExpressibleByArgument {}
