/// The paper account as the gateway's status page shows it.
extension SimulatedExchange {
    /// `{"balance":[…],"positions":[…],"openOrders":[…]}` for `apiKey`, in the shapes of
    /// `v2/account.balance`, `v2/account.position` and `openOrders`, at the current books. It
    /// reads the state only: no weight is charged and the market does not step.
    public func paperAccount(apiKey: String) -> String {
        let now = clock()
        return state.withLock { state in
            let market = state.market
            let books: (SymbolSpec) -> MarketData.Book = { market.currentBook($0, depth: 20) }
            let account = state.trading.account(apiKey)
            let none = TradingParams([:])
            let balance =
                (try? AccountFormat.answer("v2/account.balance", account, params: none, now: now, books: books)) ?? "[]"
            let positions =
                (try? AccountFormat.answer("v2/account.position", account, params: none, now: now, books: books))
                ?? "[]"
            let orders = account.openOrders().map(OrderFormat.queried).joined(separator: ",")
            return #"{"balance":\#(balance),"positions":\#(positions),"openOrders":[\#(orders)]}"#
        }
    }
}
