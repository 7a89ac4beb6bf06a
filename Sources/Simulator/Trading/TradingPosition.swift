/// One position (a symbol and a position side) of a simulated account.
///
/// `amount` is signed (long > 0, short < 0) in quantity units; `cost` is the signed entry value
/// in 10^-8 quote, so the entry price is `cost / amount` and averages itself when adding.
/// `isolatedWallet` is the part of the account's wallet set aside for the position under
/// ISOLATED margin (0 under cross margin), in 10^-8 quote.
struct TradingPosition: Sendable, Codable {
    var amount: Int64 = 0
    var cost: Int64 = 0
    var isolatedWallet: Int64 = 0
    var updateTime: Int64 = 0

    /// Entry price in 10^-8 quote per whole contract.
    func entryPrice(_ spec: SymbolSpec) -> Int64 {
        amount == 0 ? 0 : TradingMath.scale(cost, TradingMath.pow10(spec.quantityDecimals), amount)
    }

    /// Value at `mark` (10^-8 quote per contract), signed like the amount.
    func notional(mark: Int64, _ spec: SymbolSpec) -> Int64 {
        TradingMath.scale(amount, mark, TradingMath.pow10(spec.quantityDecimals))
    }

    func unrealizedProfit(mark: Int64, _ spec: SymbolSpec) -> Int64 {
        amount == 0 ? 0 : notional(mark: mark, spec) - cost
    }

    /// Applies a fill of `quantity` (signed: BUY > 0) at `price` (price units); returns the realized
    /// profit in 10^-8 quote of the part that reduced the position.
    ///
    /// `isolatedLeverage` is the symbol's leverage under ISOLATED margin, `nil` under cross. Then the
    /// opened part sets aside its initial margin (notional / leverage) in `isolatedWallet`, and the
    /// closed part gives back its share of it (added margin included). Realized profit and the
    /// commission are the caller's: they settle in the account's wallet, on the cross side.
    mutating func apply(
        _ quantity: Int64, price: Int64, _ spec: SymbolSpec, now: Int64,
        isolatedLeverage: Int? = nil
    ) -> Int64 {
        updateTime = now
        func margin(_ quantity: Int64) -> Int64 {
            isolatedLeverage.map { abs(TradingMath.quote(price: price, quantity: quantity, spec)) / Int64($0) } ?? 0
        }
        if amount == 0 || (amount > 0) == (quantity > 0) {
            amount += quantity
            cost += TradingMath.quote(price: price, quantity: quantity, spec)
            isolatedWallet += margin(quantity)
            return 0
        }
        let closing = min(abs(quantity), abs(amount))
        let direction: Int64 = amount > 0 ? 1 : -1
        let releasedCost = TradingMath.scale(cost, closing, abs(amount))
        let realized = TradingMath.quote(price: price, quantity: closing * direction, spec) - releasedCost
        isolatedWallet -= TradingMath.scale(isolatedWallet, closing, abs(amount))
        amount -= closing * direction
        cost -= releasedCost
        let rest = abs(quantity) - closing
        if rest > 0 {
            amount = rest * (quantity > 0 ? 1 : -1)
            cost = TradingMath.quote(price: price, quantity: amount, spec)
            isolatedWallet = margin(amount)
        }
        if amount == 0 {
            cost = 0
            isolatedWallet = 0
        }
        return realized
    }
}
