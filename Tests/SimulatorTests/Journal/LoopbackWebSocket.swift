import Foundation
import HTTPServer
import Logging
import Synchronization
import TestSupport
import WebSocket

@testable import Simulator

#if canImport(Glibc)
import Glibc
#endif

extension LoopbackWebSocket {
    /// A client of the simulator's WebSocket API.
    convenience init(port: UInt16) throws {
        try self.init(port: port, path: SimulatorServer.webSocketPath)
    }
}

/// A started simulator (one HMAC key, a clock the test moves), optionally with faults.
final class LoopbackSimulator {
    let time = TestClock()
    let exchange: SimulatedExchange
    let server: SimulatorServer
    let port: UInt16

    init(faults: SimulatorFaultSwitch? = nil, seed: UInt64 = 11) throws {
        let keys = SimulatorKeys([AuthTestSupport.apiKey: .hmac(secret: Array(AuthTestSupport.secret.utf8))])
        let time = self.time
        exchange = SimulatedExchange(seed: seed, keys: keys, clock: { time.millis.withLock { $0 } })
        server = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0), faults: faults,
            logger: Logger(label: "loopback-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        guard case .tcp(_, let port) = try server.start() else { throw LoopbackWebSocket.Failure(why: "not tcp") }
        self.port = port
    }

    deinit {
        let done = Mutex(false)
        server.shutdown { done.withLock { $0 = true } }
        for _ in 0..<200 where !done.withLock({ $0 }) { usleep(10_000) }
    }

    var now: Int64 { time.millis.withLock { $0 } }

    func connect() throws -> LoopbackWebSocket { try LoopbackWebSocket(port: port) }

    var rest: RESTTestClient { RESTTestClient(port: port) }

    /// A signed request frame: `params` as strings plus apiKey, `timestamp` (default: the test clock) and the HMAC signature.
    func signedFrame(
        _ method: String, id: String, _ params: [(String, String)], timestamp: Int64? = nil
    ) throws -> String {
        var fields = params.map { "\(JSONLiteral.string($0.0)):\(JSONLiteral.string($0.1))" }
        fields += [#""apiKey":"\#(AuthTestSupport.apiKey)""#, #""timestamp":\#(timestamp ?? now)"#]
        let body = fields.joined(separator: ",")
        let payload = SigningPayload.make(try AuthTestSupport.params("{\(body)}"))
        let signature = AuthTestSupport.hmacHex(secret: AuthTestSupport.secret, payload)
        return #"{"id":"\#(id)","method":"\#(method)","params":{\#(body),"signature":"\#(signature)"}}"#
    }

    /// The best bid of `symbol` now, formatted as the exchange prints prices.
    func bestBid(_ symbol: String = "BTCUSDT") -> String {
        let spec = SymbolSpec.bySymbol[symbol]!
        return exchange.state.withLock { spec.formatPrice($0.market.currentBook(spec, depth: 5).bids[0].price) }
    }
}

/// The error code of a WebSocket answer, if it is an error.
func errorCode(_ answer: [String: Any]?) -> Int? { (answer?["error"] as? [String: Any])?["code"] as? Int }
