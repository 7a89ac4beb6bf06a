import Foundation
import Gateway
import HTTPServer
import Logging
import OrderBook
import Pacing
import Signing
import Simulator
import Streams
import TestSupport
import Upstream

/// The built-in simulator and a gateway in front of it, both in-process on loopback, with
/// one HMAC key the simulator knows and the gateway signs with.
final class Venue: @unchecked Sendable {
    let simulator: SimulatorServer
    let faults: SimulatorFaultSwitch
    let gateway: GatewayUnderTest
    let secret: String
    var journal: SimulatorJournal { simulator.journal }
    var port: UInt16 { gateway.port }
    /// The simulator's own port (its admin routes, with streams on).
    let simulatorPort: UInt16

    init(
        weightLimit: Int = 2400, orderLimit10s: Int = 300, orderLimit1m: Int = 1200, credentials: Credentials? = nil,
        extraKeys: SimulatorKeys = SimulatorKeys(),
        configuration: UpstreamConfiguration = UpstreamConfiguration(requestTimeout: .seconds(5)),
        signs: Bool = true, bearerToken: String? = nil, streams: StreamHubSettings? = nil,
        subscriberLimits: SubscriberLimits = SubscriberLimits(), marketStepInterval: Duration = .milliseconds(50),
        books: ((GatewayUpstreams, StreamHub?) -> OrderBooks)? = nil
    ) throws {
        let generated = SimulatorKeys.generate()
        var keys = generated.keys
        for (apiKey, credential) in extraKeys.credentials { keys.register(apiKey: apiKey, credential) }
        secret = generated.secret
        faults = SimulatorFaultSwitch(adminEnabled: streams != nil)
        simulator = SimulatorServer(
            exchange: SimulatedExchange(
                seed: 7, keys: keys, weightLimit: weightLimit,
                orderLimit10s: orderLimit10s, orderLimit1m: orderLimit1m),
            address: .tcp(host: "127.0.0.1", port: 0), faults: faults,
            marketStepInterval: streams == nil ? nil : marketStepInterval, logger: Logger(label: "venue-simulator"))
        let bound = try simulator.start()
        guard case .tcp(_, let simulatorPort) = bound else { throw VenueError.notReady }
        self.simulatorPort = simulatorPort
        let signing =
            credentials ?? Credentials(apiKey: generated.apiKey, key: .hmac(secret: Array(generated.secret.utf8)))
        let exchange = simulator.exchange
        let apiKey = signing.apiKey
        gateway = try GatewayUnderTest(
            upstreamURL: SimulatorServer.webSocketURL(for: bound)!, restURL: "http://\(bound)",
            credentials: signs ? signing : nil, configuration: configuration,
            paperAccount: { exchange.paperAccount(apiKey: apiKey) }, bearerToken: bearerToken,
            streamURL: streams == nil ? nil : "ws://\(bound)", streamSettings: streams ?? StreamHubSettings(),
            subscriberLimits: subscriberLimits, books: books)
        let journal = simulator.journal
        // Start-up traffic (clock sync, exchangeInfo) is done before a test looks at the journal.
        guard
            eventually(
                .seconds(10),
                {
                    !journal.restRequests(path: "/fapi/v1/time").isEmpty
                        && !journal.restRequests(path: "/fapi/v1/exchangeInfo").isEmpty
                })
        else { throw VenueError.notReady }
        usleep(50_000)
    }

    enum VenueError: Error { case notReady }

    func client() throws -> GatewayClient { try GatewayClient(port: port) }

    func stop() async {
        await gateway.stop()
        await simulator.shutdown()
    }
}

extension SimulatorServer {
    func shutdown() async {
        await withCheckedContinuation { continuation in shutdown { continuation.resume() } }
    }
}
