import Foundation
import HTTPServer
import Logging
import TestSupport
import Testing

@testable import Simulator

@Suite struct FastAnswerCacheTests {
    private func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    /// The second request gets the first answer's bytes with its own id; the market does not move.
    @Test func repeatsTheFirstAnswerWithTheRequestsId() throws {
        let exchange = SimulatedExchange(seed: 7)
        let cache = FastAnswerCache()
        var computed = 0
        let compute = { (frame: [UInt8]) in
            { () -> [UInt8] in
                computed += 1
                return exchange.handle(frame)
            }
        }
        let first = Array(#"{"id":1,"method":"depth","params":{"symbol":"BTCUSDT","limit":5}}"#.utf8)
        let second = Array(#"{"id":987654321,"method":"depth","params":{"symbol":"BTCUSDT","limit":5}}"#.utf8)
        let a = try #require(text(cache.answer(first, compute: compute(first))))
        let b = try #require(text(cache.answer(second, compute: compute(second))))
        #expect(computed == 1)
        #expect(a.hasPrefix(#"{"id":1,"status":200,"result":{"#))
        #expect(b == #"{"id":987654321"# + a.dropFirst(#"{"id":1"#.count))
        // Other params are another entry, answered (and cached) on their own.
        let other = Array(#"{"id":3,"method":"depth","params":{"symbol":"ETHUSDT","limit":5}}"#.utf8)
        _ = cache.answer(other, compute: compute(other))
        #expect(computed == 2)
    }

    /// python-binance's frames: string ids, whitespace after the punctuation, ticker.book.
    @Test func acceptsStringIdsAndWhitespace() throws {
        let exchange = SimulatedExchange(seed: 7)
        let cache = FastAnswerCache()
        let first = Array(#"{"id": "a1b2", "method": "ticker.book", "params": {"symbol": "BTCUSDT"}}"#.utf8)
        let second = Array(#"{"id": "ffee", "method": "ticker.book", "params": {"symbol": "BTCUSDT"}}"#.utf8)
        let a = try #require(text(cache.answer(first) { exchange.handle(first) }))
        let b = try #require(
            text(
                cache.answer(second) {
                    Issue.record("not cached")
                    return []
                }))
        #expect(a.hasPrefix(#"{"id":"a1b2","status":200,"#))
        #expect(b == #"{"id":"ffee""# + a.dropFirst(#"{"id":"a1b2""#.count))
    }

    /// Other methods, ids the splice cannot copy and errors take the usual path.
    @Test func leavesEverythingElseAlone() {
        let exchange = SimulatedExchange(seed: 7)
        let cache = FastAnswerCache()
        for frame in [
            #"{"id":1,"method":"ticker.price","params":{"symbol":"BTCUSDT"}}"#,
            #"{"method":"depth","id":1,"params":{"symbol":"BTCUSDT"}}"#,
            #"{"id":"a\"b","method":"depth","params":{"symbol":"BTCUSDT"}}"#,
            #"{"id":null,"method":"depth","params":{"symbol":"BTCUSDT"}}"#,
            #"{"id":1,"method":"depthx","params":{"symbol":"BTCUSDT"}}"#,
        ] {
            #expect(
                cache.answer(Array(frame.utf8)) {
                    Issue.record("computed \(frame)")
                    return []
                } == nil, "\(frame)")
        }
        // An error answer (unknown symbol) is returned but not kept.
        let bad = Array(#"{"id":1,"method":"depth","params":{"symbol":"NOPE"}}"#.utf8)
        var computed = 0
        for _ in 0..<2 {
            _ = cache.answer(bad) {
                computed += 1
                return exchange.handle(bad)
            }
        }
        #expect(computed == 2)
    }

    /// `SimulatorServer(fastAnswer: true)` serves cached depth answers over a real WebSocket.
    @Test func serverAnswersFromTheCache() throws {
        let server = SimulatorServer(
            exchange: SimulatedExchange(seed: 7), address: .tcp(host: "127.0.0.1", port: 0),
            fastAnswer: true, logger: Logger(label: "test"))
        let bound = try server.start()
        defer { server.shutdown() }
        guard case .tcp(_, let port) = bound else {
            Issue.record("not tcp")
            return
        }
        let client = try LoopbackWebSocket(port: port)
        var answers: [String] = []
        for id in 1...3 {
            client.send(#"{"id":\#(id),"method":"depth","params":{"symbol":"BTCUSDT","limit":5}}"#)
            answers.append(try #require(client.receive()))
        }
        #expect(answers[1] == answers[0].replacingOccurrences(of: #"{"id":1,"#, with: #"{"id":2,"#))
        #expect(answers[2] == answers[0].replacingOccurrences(of: #"{"id":1,"#, with: #"{"id":3,"#))
        // Fast answers, the first included, are not journaled.
        #expect(server.journal.webSocketRequests().isEmpty)
    }
}
