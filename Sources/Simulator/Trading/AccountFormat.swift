/// The account methods' answers (`account.balance`, `account.position`, `account.status` and their
/// `v2/` forms) in the official shapes, computed from one account at the books' mid prices.
enum AccountFormat {
    static func answer(
        _ method: String, _ account: TradingAccount, params: TradingParams, now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) throws(ExchangeError) -> String {
        var filter: SymbolSpec?
        if let symbol = params.optional("symbol") {
            guard let spec = SymbolSpec.bySymbol[symbol] else { throw .invalidSymbol }
            filter = spec
        }
        let marks = Dictionary(
            uniqueKeysWithValues: SymbolSpec.all.map { ($0.symbol, TradingMath.mark(books($0), $0)) })
        let view = View(account: account, marks: marks)
        switch method {
        case "account.balance", "v2/account.balance": return "[" + view.balance() + "]"
        case "account.position": return array(view.rows(filter, activeOnly: false).map(view.positionV1))
        case "v2/account.position": return array(view.rows(filter, activeOnly: true).map(view.positionV2))
        case "account.status": return view.status(v2: false)
        default: return view.status(v2: true)
        }
    }

    private static func array(_ rows: [String]) -> String { "[" + rows.joined(separator: ",") + "]" }

    /// One account with its marks: the figures every shape prints.
    private struct View {
        let account: TradingAccount
        /// Mark price by symbol, in 10^-8 USDT.
        let marks: [String: Int64]
        let totals: TradingAccount.Totals

        init(account: TradingAccount, marks: [String: Int64]) {
            self.account = account
            self.marks = marks
            totals = account.totals { marks[$0.symbol] ?? 0 }
        }

        func rows(_ filter: SymbolSpec?, activeOnly: Bool) -> [(SymbolSpec, PositionSide)] {
            SymbolSpec.all.filter { ($0 == filter || filter == nil) && (!activeOnly || account.isActive($0)) }
                .flatMap { spec in account.positionSides.map { (spec, $0) } }
        }

        private func s(_ text: String) -> String { JSONLiteral.string(text) }
        private func q(_ value: Int64) -> String { s(TradingMath.format8(value)) }

        func balance() -> String {
            #"{"accountAlias":\#(s(account.alias)),"asset":"USDT","balance":\#(q(totals.wallet)),"#
                + #""crossWalletBalance":\#(q(totals.crossWallet)),"crossUnPnl":\#(q(totals.crossUnrealized)),"#
                + #""availableBalance":\#(q(totals.available)),"maxWithdrawAmount":\#(q(totals.maxWithdraw)),"#
                + #""marginAvailable":true,"updateTime":\#(account.updateTime)}"#
        }

        /// The per-position figures, as JSON values.
        private func figures(_ spec: SymbolSpec, _ side: PositionSide) -> [String: String] {
            let position = account.position(spec.symbol, side), mark = marks[spec.symbol] ?? 0
            let entry = position.entryPrice(spec)
            let fee = TradingEngine.takerFeePerTenThousand * (position.amount > 0 ? 1 : -1)
            let breakEven = position.amount == 0 ? 0 : entry + entry * fee / 10_000
            let orders = account.openOrders(spec.symbol)
            func notional(_ side: OrderSide) -> String {
                q(
                    orders.filter { $0.side == side }.reduce(0) {
                        $0 + TradingMath.quote(price: $1.price, quantity: $1.remaining, spec)
                    })
            }
            let hasPosition = position.amount != 0
            let isolated = account.isIsolated(spec.symbol)
            let isolatedMargin = isolated ? account.isolatedMargin(position, mark: mark, spec) : 0
            let isolatedWallet = isolated && position.isolatedWallet != 0 ? q(position.isolatedWallet) : s("0")
            let positionMargin = account.positionInitialMargin(position, mark: mark, spec)
            let orderMargin = account.openOrderInitialMargin(spec)
            return [
                "symbol": s(spec.symbol), "positionSide": s(side.rawValue),
                "positionAmt": s(spec.formatQuantity(position.amount)),
                "entryPrice": s(TradingMath.trimmed8(entry)), "breakEvenPrice": s(TradingMath.trimmed8(breakEven)),
                "markPrice": q(mark), "unrealizedProfit": q(position.unrealizedProfit(mark: mark, spec)),
                "liquidationPrice": s("0"), "isolatedMargin": q(isolatedMargin), "isolatedWallet": isolatedWallet,
                "notional": q(position.notional(mark: mark, spec)), "marginAsset": s("USDT"),
                "initialMargin": q(positionMargin + orderMargin),
                "maintMargin": q(account.maintMargin(position, mark: mark, spec)),
                "positionInitialMargin": q(positionMargin), "openOrderInitialMargin": q(orderMargin),
                "adl": hasPosition ? "1" : "0", "bidNotional": notional(.buy), "askNotional": notional(.sell),
                "leverage": s(String(account.leverage(spec.symbol))), "marginType": s(account.marginType(spec.symbol)),
                "isAutoAddMargin": s("false"), "maxNotionalValue": s("1000000"), "maxNotional": s("1000000"),
                "isolated": String(isolated),
                "updateTime": String(position.updateTime),
            ]
        }

        private func object(_ values: [String: String], _ keys: [String], renaming: [String: String] = [:]) -> String {
            "{" + keys.map { #""\#($0)":\#(values[renaming[$0] ?? $0]!)"# }.joined(separator: ",") + "}"
        }

        func positionV1(_ row: (SymbolSpec, PositionSide)) -> String {
            object(
                figures(row.0, row.1),
                [
                    "entryPrice", "breakEvenPrice", "marginType", "isAutoAddMargin", "isolatedMargin", "leverage",
                    "liquidationPrice",
                    "markPrice", "maxNotionalValue", "positionAmt", "notional", "isolatedWallet", "symbol",
                    "unRealizedProfit",
                    "positionSide", "updateTime",
                ], renaming: ["unRealizedProfit": "unrealizedProfit"])
        }

        func positionV2(_ row: (SymbolSpec, PositionSide)) -> String {
            object(
                figures(row.0, row.1),
                [
                    "symbol", "positionSide", "positionAmt", "entryPrice", "breakEvenPrice", "markPrice",
                    "unrealizedProfit",
                    "liquidationPrice", "isolatedMargin", "notional", "marginAsset", "isolatedWallet", "initialMargin",
                    "maintMargin",
                    "positionInitialMargin", "openOrderInitialMargin", "adl", "bidNotional", "askNotional",
                    "updateTime",
                ])
        }

        func status(v2: Bool) -> String {
            let t = totals
            var text =
                v2
                ? "{"
                : #"{"feeTier":0,"canTrade":true,"canDeposit":true,"canWithdraw":true,"updateTime":0,"#
                    + #""multiAssetsMargin":false,"tradeGroupId":-1,"#
            text +=
                #""totalInitialMargin":\#(q(t.initialMargin)),"totalMaintMargin":\#(q(t.maintMargin)),"#
                + #""totalWalletBalance":\#(q(t.wallet)),"totalUnrealizedProfit":\#(q(t.unrealized)),"#
                + #""totalMarginBalance":\#(q(t.marginBalance)),"totalPositionInitialMargin":\#(q(t.positionInitialMargin)),"#
                + #""totalOpenOrderInitialMargin":\#(q(t.openOrderInitialMargin)),"totalCrossWalletBalance":\#(q(t.crossWallet)),"#
                + #""totalCrossUnPnl":\#(q(t.crossUnrealized)),"availableBalance":\#(q(t.available)),"#
                + #""maxWithdrawAmount":\#(q(t.maxWithdraw)),"#
            text +=
                #""assets":[{"asset":"USDT","walletBalance":\#(q(t.wallet)),"unrealizedProfit":\#(q(t.unrealized)),"#
                + #""marginBalance":\#(q(t.marginBalance)),"maintMargin":\#(q(t.maintMargin)),"initialMargin":\#(q(t.initialMargin)),"#
                + #""positionInitialMargin":\#(q(t.positionInitialMargin)),"openOrderInitialMargin":\#(q(t.openOrderInitialMargin)),"#
                + #""crossWalletBalance":\#(q(t.crossWallet)),"crossUnPnl":\#(q(t.crossUnrealized)),"availableBalance":\#(q(t.available)),"#
                + #""maxWithdrawAmount":\#(q(t.maxWithdraw)),"# + (v2 ? "" : #""marginAvailable":true,"#)
                + #""updateTime":\#(account.updateTime)}],"positions":"#
            let keys =
                v2
                ? [
                    "symbol", "positionSide", "positionAmt", "unrealizedProfit", "isolatedMargin", "notional",
                    "isolatedWallet",
                    "initialMargin", "maintMargin", "updateTime",
                ]
                : [
                    "symbol", "initialMargin", "maintMargin", "unrealizedProfit", "positionInitialMargin",
                    "openOrderInitialMargin",
                    "leverage", "isolated", "entryPrice", "maxNotional", "bidNotional", "askNotional", "positionSide",
                    "positionAmt", "updateTime",
                ]
            let rows = rows(nil, activeOnly: v2).map { object(figures($0.0, $0.1), keys) }
            return text + "[" + rows.joined(separator: ",") + "]}"
        }
    }
}
