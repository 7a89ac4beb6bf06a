import Foundation
import Testing

@testable import Simulator

/// The exchange's own fills on the public tape (`trades`, `aggTrades`, trade klines) and in
/// `userTrades`: orders placed through the WebSocket API, REST answers read from the catalog.
@Suite struct FillTapeTests {
    static let eth = SymbolSpec.bySymbol["ETHUSDT"]!

    /// The answer of a GET catalog row, computed under the exchange's lock like `RESTRoutes` does.
    func rest(
        _ client: SignedExchangeClient, _ path: String, _ params: [String: String], apiKey: String = ""
    ) throws -> String {
        let endpoint = try #require(RESTCatalog.endpoints.first { $0.path == path })
        let context = RESTContext(
            params: TradingParams(params), apiKey: apiKey, now: client.now, seed: 7, weightLimit: 2400)
        return try client.exchange.state.withLock { state in
            Result { () throws(ExchangeError) in try endpoint.answer(context, &state) }
        }.get()
    }

    func rows(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    /// A MARKET BUY of ETHUSDT one step larger than the best ask, so it sweeps two levels.
    /// The account gets 1,000,000 USDT first (the simulated levels are deep).
    func sweepTwoLevels(_ client: SignedExchangeClient) throws -> (book: MarketData.Book, quantity: Int64) {
        let book = client.exchange.state.withLock { state in
            let key = AuthTestSupport.apiKey
            if state.trading.accounts[key] == nil {
                state.trading.accounts[key] = TradingAccount(apiKey: key, wallet: 1_000_000 * 100_000_000)
            }
            return state.market.currentBook(Self.eth, depth: 20)
        }
        let quantity = book.asks[0].quantity + Self.eth.stepUnits
        let answer = try client.signed(
            "order.place",
            [
                ("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"),
                ("quantity", Self.eth.formatQuantity(quantity)),
            ])
        #expect(SignedExchangeClient.errorCode(answer) == nil, "\(answer)")
        return (book, quantity)
    }

    static func units8(_ text: Any?) -> Int64 {
        Int64((text as? String ?? "").replacingOccurrences(of: ".", with: "")) ?? -1
    }

    @Test func aMarketOrderIsTheLatestTradeAndAggregate() throws {
        let client = SignedExchangeClient()
        client.advance(1_234)
        let (book, _) = try sweepTwoLevels(client)
        let trades = try rows(try rest(client, "/fapi/v1/trades", ["symbol": "ETHUSDT", "limit": "10"]))
        let ids = trades.compactMap { ($0["id"] as? NSNumber)?.int64Value }
        #expect(ids.count == 10 && ids == ids.sorted() && Set(ids).count == 10)
        let mine = Array(trades.suffix(2))
        #expect(mine.map { $0["price"] as? String } == book.asks.prefix(2).map { Self.eth.formatPrice($0.price) })
        #expect(
            mine.map { $0["qty"] as? String }
                == [book.asks[0].quantity, Self.eth.stepUnits].map { Self.eth.formatQuantity($0) })
        #expect(
            mine.allSatisfy {
                $0["isBuyerMaker"] as? Bool == false && ($0["time"] as? NSNumber)?.int64Value == client.now
            })
        #expect(ids.suffix(2).allSatisfy { $0 % MarketTape.idStride != 0 })

        let aggregates = try rows(try rest(client, "/fapi/v1/aggTrades", ["symbol": "ETHUSDT", "limit": "3"]))
        #expect(aggregates.suffix(2).map { ($0["a"] as? NSNumber)?.int64Value } == ids.suffix(2).map { $0 })
        let from = try rows(
            try rest(client, "/fapi/v1/historicalTrades", ["symbol": "ETHUSDT", "fromId": "\(ids[8])"]))
        #expect(from.compactMap { ($0["id"] as? NSNumber)?.int64Value } == Array(ids.suffix(2)))
    }

    @Test func userTradesHaveOneRowPerFillAndTheCommissionsTheWalletPaid() throws {
        let client = SignedExchangeClient()
        let wallet = { client.exchange.state.withLock { $0.trading.account(AuthTestSupport.apiKey).wallet } }
        client.exchange.state.withLock {
            $0.trading.accounts[AuthTestSupport.apiKey] = TradingAccount(
                apiKey: AuthTestSupport.apiKey, wallet: 1_000_000 * 100_000_000)
        }
        let before = wallet()
        let (book, _) = try sweepTwoLevels(client)
        let trades = try rows(
            try rest(client, "/fapi/v1/userTrades", ["symbol": "ETHUSDT"], apiKey: AuthTestSupport.apiKey))
        #expect(trades.count == 2)
        #expect(Set(trades.compactMap { $0["orderId"] as? Int }).count == 1)
        #expect(trades.map { $0["price"] as? String } == book.asks.prefix(2).map { Self.eth.formatPrice($0.price) })
        #expect(
            trades.allSatisfy {
                $0["buyer"] as? Bool == true && $0["maker"] as? Bool == false
                    && $0["side"] as? String == "BUY" && $0["realizedPnl"] as? String == "0.00000000"
                    && $0["commissionAsset"] as? String == "USDT"
            })
        #expect(trades.reduce(0) { $0 + Self.units8($1["commission"]) } == before - wallet())
        let other = try rows(try rest(client, "/fapi/v1/userTrades", ["symbol": "ETHUSDT"], apiKey: "someone-else"))
        #expect(other.isEmpty)
    }

    @Test func klinesCountTheFillsInTheirBucket() throws {
        let client = SignedExchangeClient()
        let params = ["symbol": "ETHUSDT", "interval": "1m", "limit": "2"]
        let before = try #require(
            try JSONSerialization.jsonObject(with: Data(try rest(client, "/fapi/v1/klines", params).utf8)) as? [[Any]])
        let (_, quantity) = try sweepTwoLevels(client)
        let after = try #require(
            try JSONSerialization.jsonObject(with: Data(try rest(client, "/fapi/v1/klines", params).utf8)) as? [[Any]])
        func volume(_ row: [Any]) -> Int64 {
            Int64((row[5] as? String ?? "").replacingOccurrences(of: ".", with: "")) ?? -1
        }
        #expect(volume(after[1]) - volume(before[1]) == quantity)
        #expect((after[1][8] as? Int) == (before[1][8] as? Int).map { $0 + 2 })
        #expect(volume(after[0]) == volume(before[0]))
        let continuous = try rest(
            client, "/fapi/v1/continuousKlines",
            ["pair": "ETHUSDT", "contractType": "PERPETUAL", "interval": "1m", "limit": "2"])
        #expect(continuous == (try rest(client, "/fapi/v1/klines", params)))
    }

    @Test func theSameSeedGivesTheSameTapes() throws {
        func run() throws -> [String] {
            let client = SignedExchangeClient()
            _ = try sweepTwoLevels(client)
            client.advance(700)
            _ = try sweepTwoLevels(client)
            return try [
                rest(client, "/fapi/v1/trades", ["symbol": "ETHUSDT", "limit": "20"]),
                rest(client, "/fapi/v1/aggTrades", ["symbol": "ETHUSDT", "limit": "20"]),
                rest(client, "/fapi/v1/klines", ["symbol": "ETHUSDT", "interval": "1m", "limit": "3"]),
                rest(client, "/fapi/v1/userTrades", ["symbol": "ETHUSDT"], apiKey: AuthTestSupport.apiKey),
            ]
        }
        let first = try run(), second = try run()
        #expect(first == second)
        #expect(try rows(first[3]).count == 4)
    }
}
