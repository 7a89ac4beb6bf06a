import Foundation
import OpenSSL
import Simulator
import Testing

/// The simulator is reproducible: one scripted trading session of signed WebSocket API requests
/// (limit order partly filled on arrival, a market order, modify, market steps, cancel, queries,
/// positions, balance) gives byte-identical answers for the same seed, and other answers for
/// another seed. The clock is pinned, so timestamps and rate-limit counters repeat too.
@Suite struct SimulatorSessionTests {
    private static let apiKey = "sessionTestKey0123456789"
    private static let secret = "sessionTestSecret0123456789"
    private static let now: Int64 = 1_700_000_000_000

    @Test func theSameSeedGivesTheSameSessionAndAnotherSeedDoesNot() throws {
        let first = try Self.session(seed: 7)
        let second = try Self.session(seed: 7)
        #expect(first.count == second.count && first.count > 10)
        for (index, (a, b)) in zip(first, second).enumerated() {
            #expect(
                a == b,
                "answer \(index) differs: \(String(decoding: a, as: UTF8.self)) vs \(String(decoding: b, as: UTF8.self))"
            )
        }
        let other = try Self.session(seed: 8)
        #expect(other != first, "another seed, another market")
    }

    @Test func theSessionDoesWhatItsStepsSay() throws {
        let answers = try Self.session(seed: 7).map { try Self.result($0) }
        let placed = answers[1]
        #expect(placed["status"] as? String == "PARTIALLY_FILLED", "\(placed)")
        #expect((answers[2]["status"] as? String) == "FILLED", "the market order")
        #expect(
            answers[3]["orderId"] as? Int == placed["orderId"] as? Int && answers[3]["status"] as? String != "CANCELED")
        #expect(answers[7]["status"] as? String == "CANCELED" && answers[8]["status"] as? String == "CANCELED")
        let bought = try Self.units(try #require(placed["executedQty"] as? String))
        #expect(
            bought > 0 && answers[9]["positionAmt"] as? String == Self.format(bought - 200, 1),
            "bought minus the market sell")
        #expect(answers[10]["asset"] as? String == "USDT" && answers[11]["totalWalletBalance"] is String)
    }

    /// Runs the script on a fresh exchange; every answer frame, in order.
    static func session(seed: UInt64) throws -> [[UInt8]] {
        let keys = SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))])
        let exchange = SimulatedExchange(seed: seed, keys: keys, clock: { now })
        var answers: [[UInt8]] = []
        var id = 0
        func call(_ method: String, _ params: [String: String], signed: Bool = true) -> [String: Any] {
            id += 1
            let answer = exchange.handle(Array(frame(id: id, method: method, params: params, signed: signed).utf8))
            answers.append(answer)
            return (try? result(answer)) ?? [:]
        }
        let symbol = "XRPUSDT"  // price 4 decimals (tick 0.0001), quantity 1 decimal: cheap levels
        let depth = call("depth", ["symbol": symbol, "limit": "5"], signed: false)
        let ask = try #require((depth["asks"] as? [[String]])?.first, "\(depth)")
        let price = try units(ask[0]), quantity = try units(ask[1])
        // Priced at the best ask for more than that level holds: the level fills, the rest rests.
        let placed = call(
            "order.place",
            [
                "symbol": symbol, "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
                "price": format(price, 4), "quantity": format(quantity + 100, 1),
                "newOrderRespType": "RESULT",
            ])
        let orderId = "\(placed["orderId"] as? Int ?? 0)"
        _ = call(
            "order.place",
            [
                "symbol": symbol, "side": "SELL", "type": "MARKET", "quantity": "20.0",
                "newOrderRespType": "RESULT",
            ])
        _ = call(
            "order.modify",
            [
                "symbol": symbol, "orderId": orderId, "side": "BUY",
                "price": format(price - 5, 4), "quantity": format(quantity + 150, 1),
            ])
        for _ in 0..<2 { _ = call("depth", ["symbol": symbol, "limit": "5"], signed: false) }
        _ = call("order.status", ["symbol": symbol, "orderId": orderId])
        _ = call("order.cancel", ["symbol": symbol, "orderId": orderId])
        _ = call("order.status", ["symbol": symbol, "orderId": orderId])
        _ = call("account.position", ["symbol": symbol])
        _ = call("v2/account.balance", [:])
        _ = call("account.status", [:])
        return answers
    }

    /// A request frame; signed ones carry apiKey, timestamp and the HMAC of the sorted `k=v` payload.
    static func frame(id: Int, method: String, params: [String: String], signed: Bool) -> String {
        var params = params
        if signed {
            params["apiKey"] = apiKey
            params["timestamp"] = "\(now)"
        }
        var pairs = params.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        if signed {
            let payload = pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            pairs.append(
                ("signature", Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(payload.utf8)))))
        }
        // Numbers as JSON numbers (python-binance sends timestamp as one), text as JSON strings.
        let body = pairs.map { $0.key == "timestamp" ? #""\#($0.key)":\#($0.value)"# : #""\#($0.key)":"\#($0.value)""# }
            .joined(separator: ",")
        return #"{"id":"\#(id)","method":"\#(method)","params":{\#(body)}}"#
    }

    /// The `result` of an answer frame (the first element when it is an array).
    static func result(_ answer: [UInt8]) throws -> [String: Any] {
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any])
        if let object = envelope["result"] as? [String: Any] { return object }
        if let array = envelope["result"] as? [[String: Any]] { return array.first ?? [:] }
        return ["error": envelope["error"] ?? "no result"]
    }

    /// "0.6123" → 6123 (units of the last digit).
    static func units(_ text: String) throws -> Int64 {
        try #require(Int64(text.replacingOccurrences(of: ".", with: "")), "not a decimal: \(text)")
    }

    static func format(_ units: Int64, _ decimals: Int) -> String {
        let digits = String(repeating: "0", count: max(0, decimals + 1 - "\(units)".count)) + "\(units)"
        return digits.dropLast(decimals) + "." + digits.suffix(decimals)
    }
}
