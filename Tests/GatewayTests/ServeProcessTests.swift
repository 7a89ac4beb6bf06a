import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway serve` as a real process: startup line, serving, graceful SIGTERM,
/// JSON logs, Unix sockets and a bad `--listen`.
@Suite("serve process")
struct ServeProcessTests {
    /// Starts `serve` with `arguments`; returns the process and what it prints after `listening on `.
    private func serve(_ arguments: [String]) throws -> (GatewayProcess, String) {
        let gateway = try GatewayProcess(["serve"] + arguments)
        let address = try #require(gateway.listeningAddress(), "no startup line; stderr: \(gateway.standardError)")
        return (gateway, address)
    }

    /// The TCP port in `http://127.0.0.1:PORT`.
    private func port(of url: String) throws -> UInt16 {
        try #require(
            url.hasPrefix("http://127.0.0.1:") ? UInt16(url.dropFirst("http://127.0.0.1:".count)) : nil,
            "unexpected address \(url)")
    }

    @Test func servesHealthzOnTheAnnouncedPort() throws {
        let (gateway, url) = try serve(["--listen", "127.0.0.1:0"])
        let port = try port(of: url)
        #expect(port != 0)
        let client = try LoopbackClient(tcpPort: port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == #"{"status":"ok"}"#)
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
    }

    /// With no upstream and no keys, serve runs the built-in simulator and says so; the gateway
    /// is ready and answers market data through it.
    @Test func servesTheBuiltInSimulatorWhenNoUpstreamIsConfigured() throws {
        let (gateway, url) = try serve(["--listen", "127.0.0.1:0"])
        let port = try port(of: url)
        #expect(gateway.waitForLine { $0.contains("built-in exchange simulator") } != nil)
        var ready = false
        #expect(
            eventually(.seconds(10)) {
                guard let client = try? LoopbackClient(tcpPort: port) else { return false }
                try? client.send("GET /readyz HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
                ready = (try? client.readResponse().status) == 200
                return ready
            })
        let client = try LoopbackClient(tcpPort: port)
        let body = #"{"symbol":"ETHUSDT","limit":5}"#
        try client.send(
            "POST /v1/call/depth HTTP/1.1\r\nHost: \(client.host)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.headers["x-gateway-transport"] == "ws")
        let depth = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        #expect((depth?["bids"] as? [[String]])?.count == 5, "\(response.body)")
        // The status page's history carries the simulator's paper account.
        try client.send("GET /status.json HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
        let history =
            try JSONSerialization.jsonObject(with: Data(try client.readResponse().body.utf8)) as? [String: Any]
        let account = history?["paperAccount"] as? [String: Any]
        #expect((account?["balance"] as? [[String: Any]])?.first?["asset"] as? String == "USDT", "\(history ?? [:])")
        #expect((account?["openOrders"] as? [Any])?.isEmpty == true)
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
    }

    @Test func requestInFlightSurvivesSIGTERM() throws {
        let (gateway, url) = try serve(["--listen", "127.0.0.1:0"])
        let client = try LoopbackClient(tcpPort: try port(of: url))
        try client.send("POST /healthz HTTP/1.1\r\nHost: \(client.host)\r\nContent-Length: 10\r\n\r\n12345")
        usleep(200_000)  // let the server read the partial request
        gateway.send(SIGTERM)
        #expect(gateway.waitForLine { $0.contains("received SIGTERM") } != nil, "stderr: \(gateway.standardError)")
        usleep(300_000)
        #expect(gateway.isRunning, "exited with a request in flight")
        try client.send("67890")
        let response = try client.readResponse()
        #expect(response.status == 405)
        #expect(response.headers["connection"] == "close")
        #expect(response.body == #"{"code":405,"msg":"method not allowed; use GET, HEAD"}"#)
        #expect(try client.readUntilClose().isEmpty)
        client.close()
        #expect(gateway.waitForExit() == 0, "stderr: \(gateway.standardError)")
    }

    @Test func jsonLogFormatWritesOneObjectPerLine() throws {
        let (gateway, url) = try serve(["--listen", "127.0.0.1:0", "--log-format", "json"])
        let client = try LoopbackClient(tcpPort: try port(of: url))
        try client.send("GET /healthz HTTP/1.1\r\nHost: \(client.host)\r\nConnection: close\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)

        let lines = gateway.lines
        let start = try #require(lines.firstIndex { $0.hasPrefix("listening on http://127.0.0.1:") })
        let logLines = lines[(start + 1)...]
        #expect(logLines.count >= 3, "expected serving, SIGTERM and shutdown lines: \(logLines)")
        var messages: [String] = []
        for line in logLines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            guard let object else {
                Issue.record("not a JSON object: \(line)")
                continue
            }
            for key in ["ts", "level", "msg"] {
                #expect(object[key] is String, "\(key) missing in \(line)")
            }
            messages.append(object["msg"] as? String ?? "")
        }
        #expect(messages.contains("serving"))
        #expect(messages.contains { $0.contains("received SIGTERM") })
    }

    @Test func servesOverUnixSocket() throws {
        var template = Array("/tmp/gw-proc.XXXXXX".utf8CString)
        let directory = try #require(
            template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
                .map { String(cString: $0) })
        defer { rmdir(directory) }
        let path = directory + "/gw.sock"

        let (gateway, address) = try serve(["--listen", "unix:" + path])
        #expect(address == "unix:" + path)
        let client = try LoopbackClient(unixPath: path)
        try client.send("GET /healthz HTTP/1.1\r\nHost: \(client.host)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.body == #"{"status":"ok"}"#)
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
        #expect(access(path, F_OK) != 0, "socket file left behind")
    }

    @Test(arguments: [
        ("127.0.0.1:notaport", "invalid listen address '127.0.0.1:notaport': invalid port"),
        ("localhost", "invalid listen address 'localhost': expected HOST:PORT"),
        ("unix:", "invalid listen address 'unix:': empty socket path"),
    ])
    func invalidListenExitsWithMessage(_ value: String, _ message: String) throws {
        let gateway = try GatewayProcess(["serve", "--listen", value])
        let status = try #require(gateway.waitForExit())
        #expect(status != 0)
        #expect(gateway.standardError.contains(message), "stderr: \(gateway.standardError)")
        #expect(!gateway.standardError.contains("listening on"))
    }

    @Test func portInUseExitsNonZero() throws {
        let (first, url) = try serve(["--listen", "127.0.0.1:0"])
        let port = try port(of: url)
        let second = try GatewayProcess(["serve", "--listen", "127.0.0.1:\(port)"])
        let status = try #require(second.waitForExit())
        #expect(status != 0)
        #expect(second.standardError.contains("cannot listen on 127.0.0.1:\(port)"), "stderr: \(second.standardError)")
        first.send(SIGTERM)
        #expect(first.waitForExit() == 0)
    }
}
