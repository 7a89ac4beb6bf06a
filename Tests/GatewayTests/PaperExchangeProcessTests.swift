import Foundation
import OpenSSL
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway simulator --paper` as a real process: it prints its URLs and a test key,
/// the gateway trades through it with that key, and the account outlives a restart.
@Suite("paper exchange process")
struct PaperExchangeProcessTests {
    /// The printed banner's address and key.
    struct Banner {
        let address: String
        let apiKey: String
        let secret: String

        init(_ process: GatewayProcess) throws {
            func field(_ prefix: String) throws -> String {
                let line = try #require(
                    process.waitForLine { $0.hasPrefix(prefix) }, "no \(prefix); output: \(process.standardError)")
                return String(line.dropFirst(prefix.count)).split(separator: " ").first.map(String.init) ?? ""
            }
            address = try field("paper exchange on ")
            apiKey = try field("  test API key:")
            secret = try field("  test secret:")
        }
    }

    @Test func theAccountTradedThroughTheGatewayOutlivesARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paper-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = [
            "simulator", "--paper", "--state-dir", directory, "--listen", "127.0.0.1:0", "--save-interval", "60",
        ]
        let simulator = try GatewayProcess(arguments, readingStandardOutput: true)
        let banner = try Banner(simulator)
        #expect(banner.apiKey.count == 64 && banner.secret.count == 64)
        #expect(
            simulator.standardError.components(separatedBy: banner.secret).count == 2,
            "the banner on standard output is the only place the secret appears")

        let gateway = try GatewayProcess(
            [
                "serve", "--listen", "127.0.0.1:0", "--upstream", "ws://\(banner.address)/ws-fapi/v1",
                "--rest-upstream", "http://\(banner.address)",
            ], environment: ["BINANCE_API_KEY": banner.apiKey, "BINANCE_API_SECRET": banner.secret])
        let gatewayPort = try #require(gateway.listeningAddress()?.split(separator: ":").last.flatMap { UInt16($0) })
        func call(_ method: String, _ path: String, _ body: String = "") throws -> HTTPTestResponse {
            let client = try LoopbackClient(tcpPort: gatewayPort)
            defer { client.close() }
            try client.send(
                "\(method) \(path) HTTP/1.1\r\nHost: \(client.host)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            return try client.readResponse()
        }
        #expect(eventually(.seconds(10)) { (try? call("GET", "/readyz"))?.status == 200 }, "\(gateway.standardError)")
        let placed = try call(
            "POST", "/v1/ws_futures_create_order",
            #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0"}"#
        )
        #expect(placed.status == 200, "\(placed.body)")
        let orderId = try #require(
            (try JSONSerialization.jsonObject(with: Data(placed.body.utf8)) as? [String: Any])?["orderId"] as? Int)
        #expect(!gateway.standardError.contains(banner.secret))
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
        simulator.send(SIGTERM)
        #expect(simulator.waitForExit() == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/exchange-state.json"), "saved at shutdown")

        let restarted = try GatewayProcess(arguments, readingStandardOutput: true)
        let again = try Banner(restarted)
        #expect(
            again.apiKey == banner.apiKey && again.secret == banner.secret,
            "the test key is kept in the state directory")
        let port = try #require(again.address.split(separator: ":").last.flatMap { UInt16($0) })
        let query = "symbol=BTCUSDT&timestamp=\(Int64(Date().timeIntervalSince1970 * 1000))"
        let signature = Hex.encode(Digest.hmacSHA256(key: Array(again.secret.utf8), message: Array(query.utf8)))
        let client = try LoopbackClient(tcpPort: port)
        defer { client.close() }
        try client.send(
            "GET /fapi/v1/openOrders?\(query)&signature=\(signature) HTTP/1.1\r\nHost: sim\r\n"
                + "X-MBX-APIKEY: \(again.apiKey)\r\nConnection: close\r\n\r\n")
        let open = try client.readResponse()
        let orders = try JSONSerialization.jsonObject(with: Data(open.body.utf8)) as? [[String: Any]]
        #expect(orders?.map { $0["orderId"] as? Int } == [orderId], "\(open.status) \(open.body)")
        restarted.send(SIGTERM)
        #expect(restarted.waitForExit() == 0)
    }
}
