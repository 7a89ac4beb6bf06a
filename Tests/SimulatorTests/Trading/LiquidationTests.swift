import Testing

@testable import Simulator

/// Liquidation by price: an isolated position is closed exactly when its margin at the mark
/// falls below its maintenance margin, and a cross position never is.
@Suite struct LiquidationTests {
    static let spec = SymbolSpec.bySymbol["BTCUSDT"]!
    static let key = "liquidation-test"

    /// A book whose best bid and ask sit one tick around `mid` (price units).
    static func book(mid: Int64) -> MarketData.Book {
        let tick = spec.tickUnits
        return MarketData.Book(
            updateID: 1, bids: [.init(price: mid - tick, quantity: 1_000_000)],
            asks: [.init(price: mid + tick, quantity: 1_000_000)])
    }

    /// An engine with one 0.100 BTC long at 100x, bought at the ask of 40,000.10, isolated or cross.
    static func engine(isolated: Bool) throws -> TradingEngine {
        var engine = TradingEngine(seed: 1)
        engine.openAccount(key, now: 0)
        engine.setLeverage(100, symbol: spec.symbol, apiKey: key)
        if isolated { engine.accounts[key]!.marginTypes[spec.symbol] = "isolated" }
        _ = try engine.place(
            key, TradingParams(["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.100"]),
            now: 1
        ) { _ in book(mid: 4_000_000) }
        return engine
    }

    /// The mark (10^-8 USDT) for a price in price units.
    static func mark(_ price: Int64) -> Int64 { price * 1_000_000 }

    @Test func anIsolatedLongIsClosedOnceTheMarkCrossesItsMaintenanceMargin() throws {
        var engine = try Self.engine(isolated: true)
        let position = engine.accounts[Self.key]!.position("BTCUSDT", .both)
        // Margin 40.0001 USDT (4000.01 / 100); at mark m the position's margin is 40.0001 + 0.1 (m - 40000.10)
        // and its maintenance margin 0.0004 m: liquidation below m = 39,759.14.
        #expect(position.isolatedWallet == 4_000_010_000)
        engine.liquidate(symbol: "BTCUSDT", mark: Self.mark(3_976_000), now: 2)
        #expect(engine.accounts[Self.key]!.position("BTCUSDT", .both).amount == 100, "39,760.00 is still above")
        let wallet = engine.accounts[Self.key]!.wallet
        engine.liquidate(symbol: "BTCUSDT", mark: Self.mark(3_975_900), now: 3)
        let account = engine.accounts[Self.key]!
        #expect(account.position("BTCUSDT", .both).amount == 0)
        #expect(account.wallet == wallet - position.isolatedWallet, "the account loses the isolated margin, no fee")
        #expect(account.income.suffix(2).map(\.kind) == [.realizedPnl, .insuranceClear])
        let closing = try #require(account.orders.values.max { $0.orderId < $1.orderId })
        #expect(closing.clientOrderId == "autoclose-3" && closing.status == .filled && closing.side == .sell)
    }

    @Test func aCrossPositionIsNotLiquidated() throws {
        var engine = try Self.engine(isolated: false)
        engine.liquidate(symbol: "BTCUSDT", mark: Self.mark(3_000_000), now: 2)
        #expect(engine.accounts[Self.key]!.position("BTCUSDT", .both).amount == 100)
    }
}
