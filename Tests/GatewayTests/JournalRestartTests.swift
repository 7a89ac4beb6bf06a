import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A gateway killed with orders in flight (`kill -9`) and started again on the same
/// `--state-dir`: the journal shows the orders in flight, the gateway looks each one up before
/// it reports ready, and a client's retry with the same `Idempotency-Key` gets the original
/// answer instead of a second order. Two real processes: the simulator and the gateway.
@Suite(.serialized) struct JournalRestartTests {
    static let apiKey = "restart-test-key"
    static let secret = "restart-test-secret"
    static let orders = 5

    private func request(
        _ port: UInt16, _ method: String, _ path: String, body: String = "",
        headers: [String: String] = [:]
    ) throws -> HTTPTestResponse {
        let connection = try LoopbackClient(tcpPort: port)
        try connection.send(Self.wire(method, path, host: connection.host, body: body, headers: headers))
        return try connection.readResponse()
    }

    private static func wire(
        _ method: String, _ path: String, host: String, body: String, headers: [String: String]
    ) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Length: \(body.utf8.count)\r\n"
        if !body.isEmpty { text += "Content-Type: application/json\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "\r\n" + body
    }

    private static func port(after prefix: String, in line: String) -> UInt16? {
        guard let range = line.range(of: prefix) else { return nil }
        return UInt16(line[range.upperBound...].prefix { $0.isNumber })
    }

    private func startGateway(simulatorPort: UInt16, stateDir: String) throws -> (GatewayProcess, UInt16) {
        let gateway = try GatewayProcess(
            [
                "serve", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:\(simulatorPort)/ws-fapi/v1",
                "--rest-upstream", "http://127.0.0.1:\(simulatorPort)", "--state-dir", stateDir,
            ],
            environment: ["BINANCE_API_KEY": Self.apiKey, "BINANCE_API_SECRET": Self.secret])
        let address = try #require(gateway.listeningAddress(), "\(gateway.standardError)")
        return (gateway, try #require(Self.port(after: "127.0.0.1:", in: address)))
    }

    private func order(_ index: Int) -> String {
        #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"\#(30000 + index).0"}"#
    }

    @Test func ordersInFlightAtAKillAreReconciledAndTheirKeysReplayed() throws {
        let simulator = try GatewayProcess([
            "simulator", "--listen", "127.0.0.1:0", "--fault-admin",
            "--hmac-key", "\(Self.apiKey):\(Self.secret)",
        ])
        let line = try #require(
            simulator.waitForLine { $0.contains("simulator listening on") }, "\(simulator.standardError)")
        let simulatorPort = try #require(Self.port(after: "ws://127.0.0.1:", in: line))
        let stateDir = GatewayProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: stateDir) }

        let (first, firstPort) = try startGateway(simulatorPort: simulatorPort, stateDir: stateDir)
        #expect(eventually(.seconds(10)) { (try? request(firstPort, "GET", "/readyz").status) == 200 })
        // Orders are executed on arrival; their answers are held back long enough to kill the gateway first.
        #expect(try request(simulatorPort, "POST", "/admin/faults", body: #"{"delayMs":5000}"#).status == 200)
        var pending: [LoopbackClient] = []
        for index in 0..<Self.orders {
            let connection = try LoopbackClient(tcpPort: firstPort)
            try connection.send(
                Self.wire(
                    "POST", "/v1/ws_futures_create_order", host: connection.host, body: order(index),
                    headers: ["Idempotency-Key": "restart-\(index)"]))
            pending.append(connection)
        }
        // Journalled (in flight, no outcome) and sent: the simulator executes them at once.
        #expect(
            eventually(.seconds(5)) {
                let listed = (try? request(firstPort, "GET", "/v1/journal?since=0").body) ?? ""
                return listed.components(separatedBy: #""outcome":null"#).count - 1 == Self.orders
            })
        usleep(500_000)
        first.send(SIGKILL)
        #expect(first.waitForExit() != nil)
        #expect(try request(simulatorPort, "POST", "/admin/faults", body: "{}").status == 200)

        let (second, secondPort) = try startGateway(simulatorPort: simulatorPort, stateDir: stateDir)
        #expect(
            second.waitForLine { $0.contains("requests in flight") && $0.contains("inFlight=\(Self.orders)") } != nil,
            "\(second.standardError)")
        #expect(eventually(.seconds(15)) { (try? request(secondPort, "GET", "/readyz").status) == 200 })
        // Ready means every order in flight was reconciled first.
        let reconciled = second.lines.filter { $0.contains("request in flight at start reconciled") }
        #expect(reconciled.count == Self.orders, "\(second.standardError)")
        #expect(reconciled.allSatisfy { $0.contains("outcome=applied") }, "\(reconciled)")

        for index in 0..<Self.orders {
            let retried = try request(
                secondPort, "POST", "/v1/ws_futures_create_order", body: order(index),
                headers: ["Idempotency-Key": "restart-\(index)"])
            #expect(retried.status == 200, "\(retried.body)")
            #expect(retried.headers["idempotent-replayed"] == "true")
            #expect(retried.headers["x-gateway-outcome"] == "applied")
            #expect(retried.body.contains(#""clientOrderId":"restart-\#(index)""#), "\(retried.body)")
        }
        // The exchange holds each order exactly once.
        let open = try request(secondPort, "GET", "/v1/ws_futures_get_open_orders?symbol=BTCUSDT")
        #expect(open.status == 200)
        for index in 0..<Self.orders {
            #expect(
                open.body.components(separatedBy: #""clientOrderId":"restart-\#(index)""#).count - 1 == 1,
                "\(open.body)")
        }
        let journal = try request(secondPort, "GET", "/v1/journal?since=0")
        #expect(
            journal.body.components(separatedBy: #""outcome":"applied""#).count - 1 == Self.orders, "\(journal.body)")
        #expect(!journal.body.contains(#""outcome":null"#))
        second.send(SIGTERM)
        #expect(second.waitForExit() == 0)
        simulator.send(SIGTERM)
        _ = simulator.waitForExit()
    }
}
