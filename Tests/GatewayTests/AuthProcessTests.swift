import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The security defaults of `serve`: loopback unless a token is required, the bearer token on
/// every route but `/healthz`, and secret files only their owner can read.
@Suite("serve security defaults")
struct AuthProcessTests {
    /// A file in a fresh temporary directory holding `text`, with `mode`.
    private func secretFile(_ text: String, mode: mode_t) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("secret").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    private func expectRefusal(_ gateway: GatewayProcess, mentioning text: String) throws {
        let status = try #require(gateway.waitForExit(), "still running; stderr: \(gateway.standardError)")
        #expect(status != 0)
        #expect(gateway.standardError.contains(text), "stderr: \(gateway.standardError)")
        #expect(!gateway.standardError.contains("listening on"))
    }

    @Test(arguments: ["0.0.0.0:0", "[::]:0", "192.0.2.1:8080"])
    func aNonLoopbackAddressNeedsAToken(_ address: String) throws {
        let gateway = try GatewayProcess(["serve", "--listen", address])
        try expectRefusal(gateway, mentioning: "refusing to listen on \(address): it is not a loopback address")
        #expect(gateway.standardError.contains("--auth-token-file"))
    }

    @Test func aTokenFileOthersCanReadIsRefused() throws {
        let path = try secretFile("s3cret-token\n", mode: 0o644)
        let gateway = try GatewayProcess(["serve", "--listen", "127.0.0.1:0", "--auth-token-file", path])
        try expectRefusal(
            gateway,
            mentioning:
                "refusing the auth token file \(path): it is readable or writable by group or others (mode 0644)")
        #expect(gateway.standardError.contains("chmod 600"))
    }

    @Test func aPrivateKeyFileOthersCanReadIsRefused() throws {
        let pem =
            "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFlQuLjgyX1Xgb6T7hPp7qzFqaSwHmOr9Lb3tGt1Hq8Q\n-----END PRIVATE KEY-----\n"
        let path = try secretFile(pem, mode: 0o640)
        let gateway = try GatewayProcess(
            ["serve", "--listen", "127.0.0.1:0"],
            environment: ["BINANCE_API_KEY": "test-key", "BINANCE_PRIVATE_KEY_FILE": path])
        try expectRefusal(
            gateway,
            mentioning:
                "refusing the private key file \(path): it is readable or writable by group or others (mode 0640)")
    }

    @Test func withATokenEveryRouteButHealthzNeedsIt() throws {
        let token = "tok-" + UUID().uuidString
        let path = try secretFile(token + "\n", mode: 0o600)
        let gateway = try GatewayProcess(["serve", "--listen", "0.0.0.0:0", "--auth-token-file", path])
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) }, "address \(url)")
        func get(_ path: String, _ authorization: String? = nil) throws -> HTTPTestResponse {
            let client = try LoopbackClient(tcpPort: port)
            defer { client.close() }
            let field = authorization.map { "Authorization: \($0)\r\n" } ?? ""
            try client.send("GET \(path) HTTP/1.1\r\nHost: \(client.host)\r\n\(field)\r\n")
            return try client.readResponse()
        }

        #expect(try get("/healthz").status == 200)
        for (route, authorization) in [
            ("/readyz", nil), ("/metrics", nil), ("/v1/calls", "Bearer wrong"),
            ("/metrics", "Basic \(token)"), ("/metrics", "Bearer \(token)x"),
            ("/metrics", "Bearer"), ("/no-such-route", nil), ("/openapi.yaml", nil),
            ("/", nil), ("/docs", nil), ("/status.json", "Bearer wrong"),
        ] {
            let response = try get(route, authorization)
            #expect(response.status == 401, "\(route) with \(authorization ?? "nothing")")
            #expect(response.headers["www-authenticate"] == "Bearer")
            #expect(response.headers["content-type"] == "application/json")
            let body = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
            #expect(body?["code"] as? Int == 401)
            #expect((body?["msg"] as? String)?.isEmpty == false)
            #expect(!response.body.contains(token))
            #expect(response.headers["x-gateway-outcome"] == nil, "\(route) is no state-changing call")
        }
        // A refused order says it was not sent, as every answer to a state-changing call does.
        let order = try LoopbackClient(tcpPort: port)
        try order.send(
            "POST /v1/ws_futures_create_order HTTP/1.1\r\nHost: \(order.host)\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}")
        let refused = try order.readResponse()
        order.close()
        #expect(refused.status == 401)
        #expect(refused.headers["x-gateway-outcome"] == "not-sent")
        #expect(refused.body.contains(#""outcome":"not-sent""#), "\(refused.body)")
        #expect(try get("/metrics", "Bearer \(token)").status == 200)
        #expect(try get("/v1/calls", "bearer \(token)").status == 200)
        #expect(try get("/readyz", "Bearer \(token)").status != 401)
        #expect(try get("/docs", "Bearer \(token)").status == 200)
        #expect(try get("/status.json", "Bearer \(token)").status == 200)
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
    }
}
