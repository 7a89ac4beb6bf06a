import Foundation
import TestSupport
import Testing

@testable import Simulator

/// The request journal through real sockets: WebSocket frames byte for byte, REST requests with
/// query, key, body and protocol, and the cap.
@Suite struct SimulatorJournalTests {
    @Test func webSocketFramesAreKeptAsSent() throws {
        let sim = try LoopbackSimulator()
        let socket = try sim.connect()
        let first = #"{"id":"a-1","method":"ticker.price","params":{"symbol":"BTCUSDT"}}"#
        let second = #"{"method":"depth","id":7,"params":{"symbol":"ETHUSDT","limit":5}}"#
        #expect(socket.call(first)?["status"] as? Int == 200)
        #expect(socket.call(second)?["status"] as? Int == 200)
        #expect(socket.call("not json")?["status"] as? Int == 400)

        let records = sim.server.journal.webSocketRequests()
        #expect(records.map(\.string) == [first, second, "not json"])
        #expect(records.map(\.text) == [Array(first.utf8), Array(second.utf8), Array("not json".utf8)])
        #expect(records.map(\.method) == ["ticker.price", "depth", nil])
        #expect(records.map(\.id) == ["a-1", "7", nil])
        #expect(records[1].params.map { "\($0.key)=\($0.raw)" } == ["symbol=ETHUSDT", "limit=5"])
        #expect(records[1].param("limit") == "5" && records[2].params.isEmpty)
        #expect(Set(records.map(\.connection)).count == 1)
        #expect(records.map(\.sequence) == records.map(\.sequence).sorted())
        #expect(sim.server.journal.webSocketRequests(method: "depth").map(\.string) == [second])
        #expect(sim.server.journal.restRequests().isEmpty)
    }

    @Test func signedFrameParamsKeepTheirRawText() throws {
        let sim = try LoopbackSimulator()
        let socket = try sim.connect()
        let frame =
            #"{"id":null,"method":"order.place","params":{"quantity":0.010,"reduceOnly":true,"symbol":"BTCUSDT"}}"#
        _ = socket.call(frame)
        let record = try #require(sim.server.journal.webSocketRequests(method: "order.place").first)
        #expect(record.id == nil)
        #expect(record.params.map(\.key) == ["quantity", "reduceOnly", "symbol"])
        #expect(record.params.map(\.raw) == ["0.010", "true", "BTCUSDT"])
    }

    @Test func restRequestsKeepQueryKeyBodyAndProtocol() throws {
        let sim = try LoopbackSimulator()
        let time = try sim.rest.send("GET", "/fapi/v1/time?probe=a%3Ab+c&empty=")
        #expect(time.status == 200)
        let body = RESTTestServer.signed("symbol=BTCUSDT&leverage=5", timestamp: sim.now)
        let leverage = try sim.rest.send("POST", "/fapi/v1/leverage", apiKey: AuthTestSupport.apiKey, body: body)
        #expect(leverage.status == 200, "\(leverage.body)")
        let unknown = try sim.rest.send("DELETE", "/fapi/v9/nothing")
        #expect(unknown.status == 404)

        let records = sim.server.journal.restRequests()
        #expect(records.map(\.method) == ["GET", "POST", "DELETE"])
        #expect(records.map(\.path) == ["/fapi/v1/time", "/fapi/v1/leverage", "/fapi/v9/nothing"])
        #expect(records.map(\.protocolVersion) == ["HTTP/1.1", "HTTP/1.1", "HTTP/1.1"])
        #expect(records[0].query == "probe=a%3Ab+c&empty=" && records[0].apiKey == nil && records[0].body.isEmpty)
        #expect(records[0].queryParams.map { "\($0.key)|\($0.value)" } == ["probe|a:b c", "empty|"])
        #expect(records[1].query == nil && records[1].apiKey == AuthTestSupport.apiKey)
        #expect(records[1].body == Array(body.utf8))
        #expect(records[1].bodyParams.prefix(2).map { "\($0.key)|\($0.value)" } == ["symbol|BTCUSDT", "leverage|5"])
        #expect(records[1].param("timestamp") == String(sim.now))
        #expect(sim.server.journal.restRequests(path: "/fapi/v1/leverage").count == 1)
        #expect(sim.server.journal.webSocketRequests().isEmpty)
    }

    @Test func h2cRequestsAreMarked() throws {
        let sim = try LoopbackSimulator()
        let curl = try ChildProcess.run(command: [
            "curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge",
            "http://127.0.0.1:\(sim.port)/fapi/v1/time?x=1",
        ])
        #expect(curl.status == 0)
        let records = sim.server.journal.restRequests()
        #expect(records.map(\.protocolVersion) == ["h2"])
        #expect(records.first?.query == "x=1" && records.first?.path == "/fapi/v1/time")
    }

    @Test func theCapKeepsTheNewestEntries() {
        let journal = SimulatorJournal(capacity: 3)
        for index in 0..<5 { journal.recordWebSocket(Array(#"{"id":\#(index),"method":"m"}"#.utf8), connection: 1) }
        #expect(journal.entries.map(\.sequence) == [2, 3, 4])
        #expect(journal.webSocketRequests(method: "m").map(\.id) == ["2", "3", "4"])
        journal.clear()
        #expect(journal.entries.isEmpty)
        journal.recordWebSocket(Array("{}".utf8), connection: 2)
        #expect(journal.entries.map(\.sequence) == [5])
        #expect(SimulatorJournal().capacity == 10_000)
    }
}
