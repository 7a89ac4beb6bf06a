import Foundation
import Testing

@testable import Simulator

@Suite struct SimulatedExchangeTests {
    private func call(_ exchange: SimulatedExchange, _ request: [String: Any]) throws -> [String: Any] {
        try FixtureShape.parse(exchange.handle(Array(try JSONSerialization.data(withJSONObject: request))))
    }

    /// The official examples and the simulator's answers agree key for key, type for type.
    @Test(arguments: ["depth.json", "ticker.price.json", "ticker.book.json"])
    func answersHaveTheOfficialShape(_ file: String) throws {
        let fixture = try FixtureShape.load(file)
        let exchange = SimulatedExchange(seed: 7)
        let answer = try call(exchange, fixture["request"] as! [String: Any])
        #expect(FixtureShape.of(answer) == FixtureShape.of(fixture["response"]!))
        #expect(answer["id"] as? String == (fixture["request"] as! [String: Any])["id"] as? String)
        #expect(answer["status"] as? Int == 200)
    }

    @Test func unfilteredTickersAreArraysOfTheSameShape() throws {
        for file in ["ticker.price.json", "ticker.book.json"] {
            let fixture = try FixtureShape.load(file)
            let alternative = ((fixture["alternative_responses"] as! [[String: Any]])[0])["response"]!
            var request = fixture["request"] as! [String: Any]
            request["params"] = [String: Any]()
            let answer = try call(SimulatedExchange(seed: 7), request)
            #expect(FixtureShape.of(answer) == FixtureShape.of(alternative))
            #expect((answer["result"] as? [Any])?.count == SymbolSpec.all.count)
        }
    }

    @Test func theSameSeedGivesTheSameBooks() {
        let request = Array(#"{"id":1,"method":"depth","params":{"symbol":"ETHUSDT","limit":5}}"#.utf8)
        let clock: @Sendable () -> Int64 = { 1_795_600_000_000 }
        let first = SimulatedExchange(seed: 42, clock: clock)
        let second = SimulatedExchange(seed: 42, clock: clock)
        let other = SimulatedExchange(seed: 43, clock: clock)
        for _ in 0..<5 {
            let answer = first.handle(request)
            #expect(answer == second.handle(request))
            #expect(answer != other.handle(request))
        }
    }

    @Test func pricesKeepTheTickSizesDigits() throws {
        let answer = try call(
            SimulatedExchange(seed: 1), ["id": 1, "method": "depth", "params": ["symbol": "BTCUSDT", "limit": 5]])
        let bids = try #require((answer["result"] as? [String: Any])?["bids"] as? [[String]])
        #expect(bids.count == 5)
        for level in bids {
            #expect(level[0].split(separator: ".").last?.count == 2, "BTCUSDT prices have 2 decimals: \(level[0])")
            #expect(level[1].split(separator: ".").last?.count == 3, "quantities have 3 decimals: \(level[1])")
        }
    }

    @Test func errorsUseBinancesCodes() throws {
        let exchange = SimulatedExchange(seed: 1)
        let cases: [([String: Any], Int)] = [
            (["id": "a", "method": "depth", "params": [String: Any]()], -1102),
            (["id": "b", "method": "depth", "params": ["symbol": "NOPEUSDT"]], -1121),
            (["id": "c", "method": "depth", "params": ["symbol": "BTCUSDT", "limit": 7]], -1130),
            (["id": "d", "method": "no.such.method"], -1000),
        ]
        for (request, code) in cases {
            let answer = try call(exchange, request)
            #expect(answer["status"] as? Int == 400)
            #expect((answer["error"] as? [String: Any])?["code"] as? Int == code, "\(request)")
            #expect(answer["id"] as? String == request["id"] as? String)
        }
        let garbage = try FixtureShape.parse(exchange.handle(Array("not json".utf8)))
        #expect(garbage["id"] is NSNull && garbage["status"] as? Int == 400)
    }

    /// REQUEST_WEIGHT really counts: the answer reports it, past the limit comes 429 (-1003),
    /// and a client that keeps going is banned with 418.
    @Test func requestWeightIsCountedThenRefusedThenBanned() throws {
        let exchange = SimulatedExchange(seed: 1, weightLimit: 10, refusalsBeforeBan: 2, clock: { 1_795_600_000_000 })
        let depth: [String: Any] = ["id": 1, "method": "depth", "params": ["symbol": "BTCUSDT", "limit": 5]]
        var counts: [Int] = []
        for _ in 0..<5 {
            let answer = try call(exchange, depth)
            #expect(answer["status"] as? Int == 200)
            counts.append(((answer["rateLimits"] as? [[String: Any]])?.first?["count"] as? Int) ?? -1)
        }
        #expect(counts == [2, 4, 6, 8, 10])
        for _ in 0..<2 {
            let refused = try call(exchange, depth)
            #expect(refused["status"] as? Int == 429)
            #expect((refused["error"] as? [String: Any])?["code"] as? Int == -1003)
        }
        let banned = try call(exchange, depth)
        #expect(banned["status"] as? Int == 418)
        #expect(((banned["error"] as? [String: Any])?["msg"] as? String)?.contains("banned until") == true)
    }
}
