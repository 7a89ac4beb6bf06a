import Foundation
import Synchronization

@testable import Simulator

/// Milliseconds the test moves by hand.
final class TestClock: Sendable {
    let millis = Mutex<Int64>(SignedExchangeClient.start)
}

/// A `SimulatedExchange` with one HMAC key and a clock the test moves, spoken to with signed frames.
final class SignedExchangeClient: Sendable {
    static let start: Int64 = AuthTestSupport.now
    let exchange: SimulatedExchange
    private let time = TestClock()

    init(seed: UInt64 = 7, orderLimit10s: Int = 300, orderLimit1m: Int = 1200) {
        let keys = SimulatorKeys([AuthTestSupport.apiKey: .hmac(secret: Array(AuthTestSupport.secret.utf8))])
        let time = self.time
        exchange = SimulatedExchange(
            seed: seed, keys: keys, orderLimit10s: orderLimit10s, orderLimit1m: orderLimit1m,
            clock: { time.millis.withLock { $0 } })
    }

    var now: Int64 { time.millis.withLock { $0 } }
    func advance(_ millis: Int64) { time.millis.withLock { $0 += millis } }

    /// The answer text of a signed request (`params` as strings, plus apiKey, timestamp, signature).
    func signedText(_ method: String, _ params: [(String, String)]) throws -> String {
        var fields = params.map { "\(JSONLiteral.string($0.0)):\(JSONLiteral.string($0.1))" }
        fields += [#""apiKey":"\#(AuthTestSupport.apiKey)""#, #""timestamp":\#(now)"#]
        let body = fields.joined(separator: ",")
        let payload = SigningPayload.make(try AuthTestSupport.params("{\(body)}"))
        let signature = AuthTestSupport.hmacHex(secret: AuthTestSupport.secret, payload)
        let frame = #"{"id":1,"method":"\#(method)","params":{\#(body),"signature":"\#(signature)"}}"#
        return String(decoding: exchange.handle(Array(frame.utf8)), as: UTF8.self)
    }

    func signed(_ method: String, _ params: [(String, String)]) throws -> [String: Any] {
        try FixtureShape.parse(Array(try signedText(method, params).utf8))
    }

    /// An unsigned market-data request (one market step for `depth`).
    func publicText(_ method: String, _ params: String) -> String {
        String(
            decoding: exchange.handle(Array(#"{"id":1,"method":"\#(method)","params":\#(params)}"#.utf8)), as: UTF8.self
        )
    }

    static func errorCode(_ answer: [String: Any]) -> Int? { (answer["error"] as? [String: Any])?["code"] as? Int }
    static func rateLimits(_ answer: [String: Any]) -> [[String: Any]] {
        answer["rateLimits"] as? [[String: Any]] ?? []
    }
}

/// An algo engine next to a trading engine, driven with hand-made books.
struct AlgoHarness {
    static let now = TradingHarness.now
    var algos = AlgoEngine(seed: 42)
    var trading = TradingHarness()

    mutating func call(
        _ method: String, _ params: [String: String], key: String = "key-1"
    ) -> Result<String, ExchangeError> {
        let book = trading.book
        return algos.call(
            method, apiKey: key, params: params, now: Self.now, trading: trading.engine, books: { _ in book })!
    }

    mutating func object(_ method: String, _ params: [String: String]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try call(method, params).get().utf8)) as! [String: Any]
    }

    mutating func error(_ method: String, _ params: [String: String]) -> Int? {
        if case .failure(let error) = call(method, params) { return error.code }
        return nil
    }

    /// One market step to `book`: resting orders match, then algo orders trigger (as the exchange does).
    mutating func step(to book: MarketData.Book, at now: Int64 = AlgoHarness.now + 1) {
        trading.book = book
        trading.engine.match(symbol: "BTCUSDT", book: book, now: now)
        algos.trigger(symbol: "BTCUSDT", book: book, now: now, trading: &trading.engine) { _ in book }
    }

    /// A BTCUSDT book one tick wide around `bid` (price units), deep enough for any test order.
    static func book(bid: Int64) -> MarketData.Book {
        TradingHarness.book(bids: [(bid, 5000), (bid - 10, 5000)], asks: [(bid + 10, 5000), (bid + 20, 5000)])
    }
}
