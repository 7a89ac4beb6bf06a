import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `examples/market_maker.py` (standard-library Python) against `futures-gateway serve` with the
/// embedded simulator: it reads `/v1/book`, quotes both sides each round, and leaves nothing open.
@Suite("market maker example")
struct MarketMakerExampleTests {
    @Test func theExampleQuotesFromTheLocalBookAndCancelsItsOrdersAtTheEnd() throws {
        let gateway = try GatewayProcess(["serve", "--simulate", "--listen", "127.0.0.1:0", "--book", "BTCUSDT"])
        let url = try #require(gateway.listeningAddress(), "no startup line; stderr: \(gateway.standardError)")
        // The system python3: the example needs nothing beyond the standard library.
        let outcome = try ChildProcess.run(
            command: [
                "python3", RepositoryRoot.appending("examples/market_maker.py").path, "--gateway", url, "--rounds", "3",
                "--interval", "0.1", "--tick", "0.1",
            ], timeout: .seconds(60))
        #expect(outcome.succeeded, "\(outcome.standardOutput)\n\(outcome.standardError)")
        let lines = outcome.standardOutput.split(separator: "\n")
        // Two quotes a round; one the market moved through is refused by the exchange, not sent twice.
        let attempts = lines.filter { $0.hasPrefix("round ") && $0.contains(" @ ") }
        let placedLines = attempts.filter { $0.contains("-> NEW") }
        #expect(attempts.count == 6, "\(outcome.standardOutput)")
        #expect(attempts.allSatisfy { $0.contains("-> NEW") || $0.contains("-> not placed (would cross)") })
        #expect(!placedLines.isEmpty, "\(outcome.standardOutput)")
        #expect(lines.last == "placed \(placedLines.count) orders; open orders cancelled")

        let port = try #require(UInt16(url.split(separator: ":").last ?? ""))
        let client = try LoopbackClient(tcpPort: port)
        func get(_ target: String, body: String? = nil) throws -> HTTPTestResponse {
            var request = "\(body == nil ? "GET" : "POST") \(target) HTTP/1.1\r\nHost: \(client.host)\r\n"
            if let body { request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
            try client.send(request + "\r\n" + (body ?? ""))
            return try client.readResponse()
        }
        let open = try get("/v1/ws_futures_get_open_orders", body: #"{"symbol":"BTCUSDT"}"#)
        #expect(open.status == 200)
        #expect(open.body == "[]")
        let journal = try get("/v1/journal")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(journal.bytes)) as? [[String: Any]])
        let placed = entries.filter { $0["call"] as? String == "ws_futures_create_order" }
        #expect(placed.count == 6)
        #expect(placed.filter { $0["outcome"] as? String == "applied" }.count == placedLines.count)
        #expect(placed.allSatisfy { ["applied", "rejected"].contains($0["outcome"] as? String) })
        // Each book read was local: the only depth calls upstream are the book's own snapshots.
        let metrics = try get("/metrics").body
        #expect(metrics.contains("futures_gateway_books_synced 1\n"))
        #expect(!metrics.contains(#"call="ws_futures_get_order_book""#))
        client.close()
        gateway.send(SIGTERM)
        #expect(gateway.waitForExit() == 0)
    }
}
