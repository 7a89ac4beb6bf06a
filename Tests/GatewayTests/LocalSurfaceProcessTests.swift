import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `serve` tried as an attacker on the same machine would, over raw sockets: requests a web page
/// can make, a rebinding Host, client order ids that try to write headers, a connection flood
/// against the log, and a listen name that only looks like loopback.
@Suite("the local surface against an attacker", .serialized)
struct LocalSurfaceProcessTests {
    static let order =
        #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"30000.0"}"#

    /// A gateway with its built-in simulator, ready.
    private func serve(_ arguments: [String] = []) throws -> (GatewayProcess, UInt16) {
        let gateway = try GatewayProcess(["serve", "--listen", "127.0.0.1:0"] + arguments)
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) })
        #expect(
            eventually(.seconds(10)) {
                (try? send(port, "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n").status) == 200
            })
        return (gateway, port)
    }

    /// One request, raw, on a fresh connection.
    private func send(_ port: UInt16, _ raw: String) throws -> HTTPTestResponse {
        let client = try LoopbackClient(tcpPort: port)
        defer { client.close() }
        try client.send(raw)
        return try client.readResponse()
    }

    private func post(_ path: String, _ body: String, port: UInt16, fields: [String]) -> String {
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n" + fields.map { $0 + "\r\n" }.joined()
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// The simulator's open BTCUSDT orders, asked properly through the gateway.
    private func openOrders(_ port: UInt16) throws -> Int {
        let response = try send(
            port, "GET /v1/ws_futures_get_open_orders?symbol=BTCUSDT HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
        #expect(response.status == 200, "\(response.body)")
        return try #require(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [Any]).count
    }

    private func code(_ response: HTTPTestResponse) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])?["code"] as? Int
    }

    @Test func requestsAPageCanSendPlaceNoOrder() throws {
        let (gateway, port) = try serve()
        defer { gateway.send(SIGKILL) }
        let before = try openOrders(port)
        let attempts: [(fields: [String], body: String, status: Int)] = [
            (["Origin: http://attacker.example", "Content-Type: text/plain"], Self.order, 403),  // fetch, no preflight
            (["Origin: null", "Content-Type: text/plain"], Self.order, 403),  // sandboxed frame
            (
                ["Origin: http://attacker.example", "Content-Type: application/x-www-form-urlencoded"],
                "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0", 403
            ),  // form post
            // another local port
            (["Origin: http://127.0.0.1:9999", "Content-Type: application/json"], Self.order, 403),
            (["Sec-Fetch-Site: cross-site", "Content-Type: text/plain"], Self.order, 403),  // no Origin, fetch metadata
            (["Content-Type: text/plain"], Self.order, 415),  // not a browser, still not JSON
            (["Content-Type: multipart/form-data; boundary=x"], Self.order, 415),
        ]
        for attempt in attempts {
            let response = try send(
                port, post("/v1/ws_futures_create_order", attempt.body, port: port, fields: attempt.fields))
            #expect(response.status == attempt.status, "\(attempt.fields): \(response.status) \(response.body)")
            #expect(code(response) == attempt.status, "\(response.body)")
            #expect(response.headers["x-gateway-outcome"] == "not-sent", "\(attempt.fields)")
            #expect(response.body.contains(#""outcome":"not-sent""#), "\(response.body)")
            #expect(response.headers["access-control-allow-origin"] == nil)
        }
        #expect(try openOrders(port) == before, "an order reached the simulator")
        // The same order sent as the README says is placed: the attempts above really reached the gateway.
        let placed = try send(
            port,
            post(
                "/v1/ws_futures_create_order", Self.order, port: port,
                fields: ["Content-Type: application/json"]))
        #expect(placed.status == 200, "\(placed.body)")
        #expect(try openOrders(port) == before + 1)
    }

    @Test func aRebindingHostReadsNothing() throws {
        let (gateway, port) = try serve()
        defer { gateway.send(SIGKILL) }
        for host in [
            "attacker.example:\(port)", "attacker.example", "127.0.0.1.nip.example:\(port)",
            "localhost.attacker.example:\(port)",
        ] {
            let response = try send(port, "GET /v1/ws_futures_account_balance HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(response.status == 421, "\(host): \(response.status)")
            #expect(code(response) == 421)
            #expect(!response.body.contains("asset") && !response.body.contains("balance\""), "\(response.body)")
        }
        for host in ["127.0.0.1:\(port)", "localhost:\(port)"] {
            let response = try send(port, "GET /v1/ws_futures_account_balance HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(response.status == 200, "\(host): \(response.body)")
        }
    }

    @Test func aClientOrderIdCannotWriteAHeader() throws {
        let (gateway, port) = try serve()
        defer { gateway.send(SIGKILL) }
        let before = try openOrders(port)
        let forged = [
            #"x\r\nSet-Cookie: pwn=1"#, #"x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nX-Forged: 1\r\n\r\n"#,
            #"x\u0000y"#,
            #"x\ny"#, String(repeating: "a", count: 37), "a b",
        ]
        let calls = [
            ("ws_futures_create_order", "newClientOrderId", Self.order),
            (
                "ws_futures_create_algo_order", "clientAlgoId",
                #"{"symbol":"BTCUSDT","side":"SELL","type":"STOP_MARKET","quantity":"0.010","triggerPrice":"20000.0"}"#
            ),
            ("ws_futures_cancel_order", "origClientOrderId", #"{"symbol":"BTCUSDT"}"#),
        ]
        for (call, parameter, base) in calls {
            for id in forged {
                let body = String(base.dropLast()) + #","\#(parameter)":"\#(id)"}"#
                let client = try LoopbackClient(tcpPort: port)
                defer { client.close() }
                try client.send(post("/v1/\(call)", body, port: port, fields: ["Content-Type: application/json"]))
                let response = try client.readResponse()
                #expect(response.status == 400, "\(call) \(parameter)=\(id): \(response.status) \(response.body)")
                #expect(code(response) == -1100)
                #expect(response.body.contains(parameter))
                #expect(response.headers["set-cookie"] == nil && response.headers["x-forged"] == nil)
                #expect(response.headers["x-client-order-id"] == nil)
                // The stream is still in step: the next answer on this connection is the next request's.
                try client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
                let next = try client.readResponse()
                #expect(next.status == 200 && next.body == #"{"status":"ok"}"#, "\(next.body)")
            }
        }
        #expect(try openOrders(port) == before)
    }

    @Test func lenientFramingIsRefusedOnTheWire() throws {
        let (gateway, port) = try serve()
        defer { gateway.send(SIGKILL) }
        let host = "Host: 127.0.0.1:\(port)\r\n"
        let chunked =
            "POST /v1/ws_futures_get_order_book HTTP/1.1\r\n\(host)Content-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
        let body = #"{"symbol":"BTCUSDT","limit":5}"#
        // '1e junk' was read as 0x1e; a request after the last chunk was swallowed as trailer fields.
        for raw in [
            chunked + "1e junk\r\n\(body)\r\n0\r\n\r\n",
            chunked + "1e\r\n\(body)\r\n0\r\nGET /v1/ws_futures_account_balance HTTP/1.1\r\n\(host)\r\n",
        ] {
            let client = try LoopbackClient(tcpPort: port)
            defer { client.close() }
            try client.send(raw)
            let response = try client.readResponse()
            #expect(response.status == 400, "\(response.status) \(response.body)")
            #expect(response.headers["connection"] == "close")
            #expect(try client.readUntilClose().isEmpty, "a second answer followed")
        }
        for value in ["a b", "evil@t", "t/../x"] {
            let response = try send(port, "GET /healthz HTTP/1.1\r\nHost: \(value)\r\n\r\n")
            #expect(response.status == 400, "Host \(value): \(response.status)")
        }
    }

    @Test func refusedConnectionsAreLoggedOncePerInterval() throws {
        let (gateway, port) = try serve(["--max-connections", "1"])
        defer { gateway.send(SIGKILL) }
        // The one connection allowed, once the readiness probes' connections are gone.
        var held: LoopbackClient?
        #expect(
            eventually(.seconds(5)) {
                guard let client = try? LoopbackClient(tcpPort: port, timeout: .seconds(1)) else { return false }
                try? client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
                guard (try? client.readResponse().status) == 200 else { return false }
                held = client
                return true
            })
        defer { held?.close() }
        var refused = 0
        let deadline = Date().addingTimeInterval(10)
        for _ in 0..<200 where Date() < deadline {
            guard let client = try? LoopbackClient(tcpPort: port, timeout: .seconds(1)) else { continue }
            if (try? client.readResponse().status) == 503 { refused += 1 }
            client.close()
        }
        #expect(refused >= 100, "refused \(refused)")
        usleep(300_000)
        // One line at the first refusal, and at most one summary with the count after 10 s.
        let lines = gateway.lines.filter { $0.contains("connection limit reached") }
        #expect((1...2).contains(lines.count), "\(lines.count) lines: \(lines.prefix(3))")
    }

    @Test(arguments: ["127.evil.invalid:0", "127.0.0.1.invalid:0", "localhost.invalid:0"])
    func aListenNameIsResolvedBeforeItIsJudged(_ listen: String) throws {
        let gateway = try GatewayProcess(["serve", "--listen", listen])
        let status = try #require(gateway.waitForExit(), "still running: \(gateway.standardError)")
        #expect(status != 0)
        #expect(gateway.standardError.contains("cannot resolve the listen address"), "\(gateway.standardError)")
        #expect(!gateway.standardError.contains("listening on"))
    }

    @Test func localhostIsBoundByItsAddress() throws {
        let gateway = try GatewayProcess(["serve", "--listen", "localhost:0"])
        defer { gateway.send(SIGKILL) }
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        #expect(url.hasPrefix("http://127.0.0.1:") || url.hasPrefix("http://[::1]:"), "\(url)")
    }

    @Test func anAllowedOriginGetsCORS() throws {
        let (gateway, port) = try serve(["--allow-origin", "http://localhost:3000"])
        defer { gateway.send(SIGKILL) }
        let preflight = try send(
            port,
            "OPTIONS /v1/ws_futures_create_order HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
                + "Origin: http://localhost:3000\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type, idempotency-key\r\n\r\n")
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "http://localhost:3000")
        #expect(preflight.headers["access-control-allow-headers"]?.lowercased().contains("idempotency-key") == true)
        let placed = try send(
            port,
            post(
                "/v1/ws_futures_create_order", Self.order, port: port,
                fields: ["Origin: http://localhost:3000", "Content-Type: application/json"]))
        #expect(placed.status == 200, "\(placed.body)")
        #expect(placed.headers["access-control-allow-origin"] == "http://localhost:3000")
        #expect(placed.headers["access-control-expose-headers"]?.contains("X-Client-Order-Id") == true)
        let other = try send(
            port,
            post(
                "/v1/ws_futures_create_order", Self.order, port: port,
                fields: ["Origin: http://localhost:3001", "Content-Type: application/json"]))
        #expect(other.status == 403)
    }
}
