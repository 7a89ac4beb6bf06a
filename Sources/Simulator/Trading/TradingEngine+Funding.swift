/// Funding payments and the liquidation of isolated positions.
extension TradingEngine {
    /// Settles funding time `time` for every open position: a long pays `notional × rate` (a short
    /// receives it; a negative rate turns both around). An isolated position pays from (and is paid
    /// into) its own margin. Each payment is a `FUNDING_FEE` income entry.
    mutating func settleFunding(at time: Int64, rates: (SymbolSpec) -> Int64, marks: (SymbolSpec) -> Int64) {
        for key in accounts.keys.sorted() {
            var account = accounts[key]!
            for spec in SymbolSpec.all {
                for side in account.positionSides {
                    let position = account.position(spec.symbol, side)
                    guard position.amount != 0 else { continue }
                    let fee = -TradingMath.scale(position.notional(mark: marks(spec), spec), rates(spec), 100_000_000)
                    guard fee != 0 else { continue }
                    account.wallet += fee
                    if account.isIsolated(spec.symbol) {
                        _ = account.update(spec.symbol, side) {
                            $0.isolatedWallet += fee
                            return 0
                        }
                    }
                    account.updateTime = time
                    addIncome(&account, spec.symbol, .fundingFee, fee, now: time)
                }
            }
            accounts[key] = account
        }
    }

    /// Liquidates every isolated position of `symbol` whose margin (its wallet plus unrealized
    /// profit at `mark`) is below its maintenance margin: a market order `autoclose-…` closes it
    /// at the mark, without commission, and what margin is left goes to the insurance fund
    /// (`INSURANCE_CLEAR`), so the account loses the position's isolated wallet and no more.
    /// Open orders of the symbol on that side are cancelled first.
    mutating func liquidate(symbol: String, mark: Int64, now: Int64) {
        guard let spec = SymbolSpec.bySymbol[symbol], mark > 0 else { return }
        let price = max(spec.tickUnits, mark / TradingMath.pow10(TradingMath.quoteDecimals - spec.priceDecimals))
        for key in accounts.keys.sorted() where accounts[key]!.isIsolated(symbol) {
            var account = accounts[key]!
            for side in account.positionSides {
                let position = account.position(symbol, side)
                guard position.amount != 0,
                    account.isolatedMargin(position, mark: mark, spec) < account.maintMargin(position, mark: mark, spec)
                else { continue }
                for var order in account.openOrders(symbol) where order.positionSide == side {
                    order.status = .canceled
                    order.updateTime = now
                    account.orders[order.orderId] = order
                }
                lastOrderId += 1
                var order = TradingOrder(
                    orderId: lastOrderId, clientOrderId: "autoclose-\(now)", spec: spec,
                    side: position.amount > 0 ? .sell : .buy, positionSide: side, type: .market,
                    timeInForce: .ioc, price: 0, origQty: abs(position.amount), reduceOnly: true,
                    time: now, updateTime: now)
                let realized = execute(
                    &account, &order, abs(position.amount), at: price, taker: key, now: now,
                    isLiquidation: true)
                let left = position.isolatedWallet + realized
                if left != 0 {
                    account.wallet -= left
                    addIncome(&account, symbol, .insuranceClear, -left, now: now)
                }
                account.orders[order.orderId] = order
            }
            accounts[key] = account
        }
    }
}
