import Foundation
import HTTPServer
import Logging
import OpenSSL
import Synchronization
import TestSupport

@testable import Simulator

#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange per connection over loopback (`Connection: close`) on a
/// `LoopbackClient`, whose receive timeout makes a silent server fail the test.
struct RESTTestClient {
    typealias Response = HTTPTestResponse

    struct Failure: Error { let why: String }

    let port: UInt16

    func send(_ method: String = "GET", _ target: String, apiKey: String? = nil, body: String = "") throws -> Response {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let apiKey { request += "X-MBX-APIKEY: \(apiKey)\r\n" }
        if !body.isEmpty || method == "POST" || method == "DELETE" {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        let connection = try LoopbackClient(tcpPort: port, timeout: .seconds(10))
        try connection.send(request + "\r\n" + body)
        return try connection.readResponse()
    }
}

extension HTTPTestResponse {
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    var usedWeight: Int? { headers["x-mbx-used-weight-1m"].flatMap { Int($0) } }
}

/// A started simulator with one HMAC key and a pinned clock, for the REST tests.
final class RESTTestServer {
    static let apiKey = AuthTestSupport.apiKey
    static let secret = AuthTestSupport.secret
    static let now: Int64 = 1_795_548_744_700

    let exchange: SimulatedExchange
    let server: SimulatorServer
    let client: RESTTestClient

    init(
        seed: UInt64 = 42, weightLimit: Int = 2400, fundingIntervalMillis: Int64 = 8 * 3_600_000,
        faults: SimulatorFaultSwitch? = nil
    ) throws {
        let keys = SimulatorKeys([Self.apiKey: .hmac(secret: Array(Self.secret.utf8))])
        exchange = SimulatedExchange(
            seed: seed, keys: keys, weightLimit: weightLimit, fundingIntervalMillis: fundingIntervalMillis,
            clock: { RESTTestServer.now })
        server = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0), faults: faults,
            logger: Logger(label: "rest-test"))
        let address = try server.start()
        guard case .tcp(_, let port) = address else { throw RESTTestClient.Failure(why: "not tcp") }
        client = RESTTestClient(port: port)
    }

    deinit {
        let done = Mutex(false)
        server.shutdown { done.withLock { $0 = true } }
        for _ in 0..<200 where !done.withLock({ $0 }) { usleep(10_000) }
    }

    /// `params` + `timestamp`, signed over the text as sent (HMAC-SHA256 hex).
    static func signed(_ params: String, timestamp: Int64 = now, secret: String = secret) -> String {
        let payload = (params.isEmpty ? "" : params + "&") + "timestamp=\(timestamp)"
        let signature = Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(payload.utf8)))
        return payload + "&signature=" + signature
    }

    func get(_ target: String, apiKey: String? = nil) throws -> RESTTestClient.Response {
        try client.send("GET", target, apiKey: apiKey)
    }
}
