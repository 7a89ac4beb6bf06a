#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
import Logging
import OpenSSL
import Synchronization
@testable import Simulator

/// One HTTP/1.1 exchange per connection over loopback (`Connection: close`), blocking, with a
/// receive timeout so a silent server fails the test instead of hanging it.
struct RESTTestClient {
    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var usedWeight: Int? { headers["x-mbx-used-weight-1m"].flatMap { Int($0) } }
    }

    struct Failure: Error { let why: String }

    let port: UInt16

    func send(_ method: String = "GET", _ target: String, apiKey: String? = nil, body: String = "") throws -> Response {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let apiKey { request += "X-MBX-APIKEY: \(apiKey)\r\n" }
        if !body.isEmpty || method == "POST" || method == "DELETE" {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        let raw = try exchange(Array((request + "\r\n" + body).utf8))
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(why: "no head in \(text.debugDescription)") }
        let lines = text[..<split.lowerBound].split(separator: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    private func exchange(_ bytes: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(why: "socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(why: "connect \(errno)") }
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        return received
    }
}

/// A started simulator with one HMAC key and a pinned clock, for the REST tests.
final class RESTTestServer {
    static let apiKey = AuthTestSupport.apiKey
    static let secret = AuthTestSupport.secret
    static let now: Int64 = 1_795_548_744_700

    let exchange: SimulatedExchange
    let server: SimulatorServer
    let client: RESTTestClient

    init(seed: UInt64 = 42, weightLimit: Int = 2400, fundingIntervalMillis: Int64 = 8 * 3_600_000) throws {
        let keys = SimulatorKeys([Self.apiKey: .hmac(secret: Array(Self.secret.utf8))])
        exchange = SimulatedExchange(seed: seed, keys: keys, weightLimit: weightLimit, fundingIntervalMillis: fundingIntervalMillis,
                                     clock: { RESTTestServer.now })
        server = SimulatorServer(exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0),
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
