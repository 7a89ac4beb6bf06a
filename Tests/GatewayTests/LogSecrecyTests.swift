import Foundation
import Logging
import OpenSSL
import Simulator
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A whole trading session through the `serve` process, at debug level with JSON logs, with
/// secrets the test knows: no log line and no response holds the API secret, a signature the
/// gateway sent upstream, or the private key. Call log lines carry the request id.
@Suite("log secrecy", .serialized)
struct LogSecrecyTests {
    @Test func hmacSecretAndSignaturesNeverAppear() throws {
        let secret = "hmacsecret" + SimulatorKeys.randomAlphanumerics(40)
        var keys = SimulatorKeys()
        keys.register(apiKey: "secrecy-hmac-key", .hmac(secret: Array(secret.utf8)))
        try session(
            keys: keys, environment: ["BINANCE_API_KEY": "secrecy-hmac-key", "BINANCE_API_SECRET": secret],
            secrets: [secret])
    }

    @Test func ed25519KeyAndSignaturesNeverAppear() throws {
        let pem = try Self.openssl(["genpkey", "-algorithm", "ed25519"])
        let privateKey = try Ed25519PrivateKey(pem: pem)
        var keys = SimulatorKeys()
        keys.register(apiKey: "secrecy-ed25519-key", .ed25519(try Ed25519PublicKey(pem: privateKey.publicKeyPEM)))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-secrecy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key.pem").path
        #expect(
            FileManager.default.createFile(
                atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]))
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        try session(
            keys: keys, environment: ["BINANCE_API_KEY": "secrecy-ed25519-key", "BINANCE_PRIVATE_KEY_FILE": path],
            secrets: body + [body.joined()], expectLogon: true)
    }

    /// Place, query and cancel an order, a signed and an API-key REST call, a pass-through and a
    /// refused call; then checks every log line and every response against `secrets` and the
    /// signatures the simulator received.
    private func session(
        keys: SimulatorKeys, environment: [String: String], secrets: [String],
        expectLogon: Bool = false
    ) throws {
        let simulator = SimulatorServer(
            exchange: SimulatedExchange(seed: 3, keys: keys),
            address: .tcp(host: "127.0.0.1", port: 0), logger: Logger(label: "secrecy-simulator"))
        let bound = try simulator.start()
        defer { simulator.shutdown() }
        let gateway = try GatewayProcess(
            [
                "serve", "--listen", "127.0.0.1:0", "--upstream", SimulatorServer.webSocketURL(for: bound)!,
                "--rest-upstream", "http://\(bound)", "--log-format", "json", "--log-level", "debug",
            ], environment: environment)
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) })
        var responses: [String] = []
        func request(_ method: String, _ path: String, _ body: String = "", id: String) throws -> HTTPTestResponse {
            let client = try LoopbackClient(tcpPort: port)
            defer { client.close() }
            try client.send(
                "\(method) \(path) HTTP/1.1\r\nHost: \(client.host)\r\nX-Request-Id: \(id)\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try client.readResponse()
            responses.append("\(response.status) \(response.headers) \(response.body)")
            return response
        }
        #expect(
            eventually(.seconds(10)) {
                guard let ready = try? request("GET", "/readyz", id: "ready") else { return false }
                return ready.status == 200 && (!expectLogon || ready.body.contains(#""sessionLoggedOn":true"#))
            }, "never ready: \(responses.last ?? "")")

        let order =
            #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0","newClientOrderId":"secrecy-1"}"#
        let calls: [(String, String, String, String, Int)] = [
            ("POST", "/v1/ws_futures_create_order", order, "secrecy-place", 200),
            (
                "POST", "/v1/ws_futures_get_order", #"{"symbol":"BTCUSDT","origClientOrderId":"secrecy-1"}"#,
                "secrecy-query", 200
            ),
            (
                "POST", "/v1/ws_futures_cancel_order", #"{"symbol":"BTCUSDT","origClientOrderId":"secrecy-1"}"#,
                "secrecy-cancel", 200
            ),
            ("GET", "/v1/ws_futures_account_trades?symbol=BTCUSDT&limit=5", "", "secrecy-rest", 200),
            ("GET", "/v1/ws_futures_get_historical_trades?symbol=BTCUSDT&limit=5", "", "secrecy-rest-key", 200),
            ("POST", "/v1/call/account.balance", "{}", "secrecy-pass", 200),
            (
                "POST", "/v1/ws_futures_cancel_order", #"{"symbol":"BTCUSDT","origClientOrderId":"no-such-order"}"#,
                "secrecy-unknown", 400
            ),
            ("POST", "/v1/ws_futures_create_order", #"{"symbol":"BTCUSDT"}"#, "secrecy-invalid", 400),
        ]
        for (method, path, body, id, status) in calls {
            let response = try request(method, path, body, id: id)
            #expect(response.status == status, "\(path): \(response.body)")
            #expect(response.headers["x-request-id"] == id)
        }
        _ = try request("GET", "/metrics", id: "secrecy-metrics")
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)

        let journal = simulator.journal
        let signatures =
            (journal.webSocketRequests().compactMap { $0.param("signature") }
            + journal.restRequests().compactMap { $0.param("signature") })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        #expect(signatures.count >= (expectLogon ? 2 : 6), "signatures seen upstream: \(signatures.count)")
        let lines = gateway.lines
        let start = try #require(lines.firstIndex { $0.hasPrefix("listening on ") })
        let logLines = Array(lines[..<start] + lines[(start + 1)...])
        #expect(logLines.count > 10)
        for needle in secrets + signatures where needle.count >= 16 {
            for line in logLines where line.contains(needle) { Issue.record("a log line holds a secret: \(line)") }
            for text in responses where text.contains(needle) { Issue.record("a response holds a secret: \(text)") }
        }

        var requestIds: Set<String> = []
        for line in logLines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            if object["msg"] as? String == "call answered" {
                let id = object["requestId"] as? String
                #expect(id != nil, "a call line without requestId: \(line)")
                id.map { requestIds.insert($0) }
            }
        }
        #expect(
            requestIds.isSuperset(of: [
                "secrecy-place", "secrecy-query", "secrecy-cancel", "secrecy-rest", "secrecy-unknown",
            ]),
            "request ids logged: \(requestIds.sorted())")
    }

    /// Runs `openssl` with `arguments`; its standard output.
    static func openssl(_ arguments: [String]) throws -> String {
        try ChildProcess.run(command: ["openssl"] + arguments).standardOutput
    }
}
