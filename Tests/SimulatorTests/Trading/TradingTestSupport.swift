import Foundation

@testable import Simulator

/// A trading engine driven with hand-made books, for the trading tests.
struct TradingHarness {
    static let now: Int64 = 1_795_600_000_000
    static let btc = SymbolSpec.bySymbol["BTCUSDT"]!

    var engine: TradingEngine
    /// The book every symbol shows; BTCUSDT: bids 43000.00 ×1, 42999.90 ×2; asks 43000.10 ×0.05, 43000.20 ×1.
    var book = TradingHarness.book(
        bids: [(43000_00, 1000), (42999_90, 2000)], asks: [(43000_10, 50), (43000_20, 1000)])

    init(seed: UInt64 = 42) { engine = TradingEngine(seed: seed) }

    static func book(bids: [(Int64, Int64)], asks: [(Int64, Int64)]) -> MarketData.Book {
        MarketData.Book(
            updateID: 1, bids: bids.map { .init(price: $0.0, quantity: $0.1) },
            asks: asks.map { .init(price: $0.0, quantity: $0.1) })
    }

    mutating func call(
        _ method: String, _ params: [String: String], key: String = "key-1"
    ) -> Result<String, ExchangeError> {
        let book = book
        return engine.call(method, apiKey: key, params: params, now: Self.now, books: { _ in book })!
    }

    /// The result parsed as a JSON object (or the first row of an array).
    mutating func object(_ method: String, _ params: [String: String]) throws -> [String: Any] {
        let text = try call(method, params).get()
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return (value as? [String: Any]) ?? ((value as! [Any]).first as! [String: Any])
    }

    mutating func error(_ method: String, _ params: [String: String]) -> Int? {
        if case .failure(let error) = call(method, params) { return error.code }
        return nil
    }
}
