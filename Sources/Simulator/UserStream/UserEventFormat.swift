/// The user data events of one account between two moments, in the official shapes:
/// `ORDER_TRADE_UPDATE` for each new order, each fill (one event per fill, as the exchange sends
/// them), each cancellation, expiry and amendment, then one `ACCOUNT_UPDATE` when the wallet or a
/// position changed (reason `FUNDING_FEE` for a funding payment, else `ORDER`).
enum UserEventFormat {
    static func events(
        before: TradingAccount?, after: TradingAccount, newFills: [ExchangeFill], apiKey: String,
        marks: (SymbolSpec) -> Int64, now: Int64
    ) -> [String] {
        var events: [String] = []
        for order in after.orders.values.sorted(by: { $0.orderId < $1.orderId }) {
            let old = before?.orders[order.orderId]
            if old == nil {
                events.append(orderUpdate(order, execution: "NEW", status: .new, executed: 0, fill: nil, now: now))
            }
            var executed = old?.executedQty ?? 0
            let fills = newFills.filter { $0.account == apiKey && $0.orderId == order.orderId }
            for fill in fills {
                executed += fill.quantity
                let status: OrderStatus = executed == order.origQty ? .filled : .partiallyFilled
                events.append(
                    orderUpdate(order, execution: "TRADE", status: status, executed: executed, fill: fill, now: now))
            }
            if order.status == .canceled || order.status == .expired, old?.status != order.status {
                events.append(
                    orderUpdate(
                        order, execution: order.status.rawValue, status: order.status, executed: executed,
                        fill: nil, now: now))
            } else if let old, fills.isEmpty, old.price != order.price || old.origQty != order.origQty {
                events.append(
                    orderUpdate(
                        order, execution: "AMENDMENT", status: order.status, executed: executed, fill: nil, now: now))
            }
        }
        let changed = after.positions.keys.sorted().filter { key in
            let new = after.positions[key]!, old = before?.positions[key] ?? TradingPosition()
            return new.amount != old.amount || new.cost != old.cost || new.isolatedWallet != old.isolatedWallet
        }
        if after.wallet != before?.wallet ?? after.wallet || !changed.isEmpty {
            let known = before?.income.last?.tranId ?? 0
            let funding = after.income.contains { $0.tranId > known && $0.kind == .fundingFee }
            events.append(
                accountUpdate(
                    after, positions: changed, reason: funding ? "FUNDING_FEE" : "ORDER", marks: marks, now: now))
        }
        return events
    }

    private static func orderUpdate(
        _ order: TradingOrder, execution: String, status: OrderStatus, executed: Int64,
        fill: ExchangeFill?, now: Int64
    ) -> String {
        let spec = order.spec
        func q(_ value: Int64) -> String { "\"" + spec.formatQuantity(value) + "\"" }
        func p(_ value: Int64) -> String { "\"" + spec.formatPrice(value) + "\"" }
        let fields: [(String, String)] = [
            ("s", JSONLiteral.string(spec.symbol)), ("c", JSONLiteral.string(order.clientOrderId)),
            ("S", JSONLiteral.string(order.side.rawValue)), ("o", JSONLiteral.string(order.type.rawValue)),
            ("f", JSONLiteral.string(order.timeInForce.rawValue)), ("q", q(order.origQty)), ("p", p(order.price)),
            ("ap", p(order.averagePrice)), ("sp", p(0)), ("x", JSONLiteral.string(execution)),
            ("X", JSONLiteral.string(status.rawValue)), ("i", String(order.orderId)), ("l", q(fill?.quantity ?? 0)),
            ("z", q(executed)), ("L", p(fill?.price ?? 0)), ("N", #""USDT""#),
            ("n", JSONLiteral.string(TradingMath.format8(fill?.commission ?? 0))),
            ("T", String(fill?.time ?? order.updateTime)),
            ("t", String(fill?.id ?? 0)), ("b", #""0""#), ("a", #""0""#), ("m", String(fill?.isMaker ?? false)),
            ("R", String(order.reduceOnly)), ("wt", #""CONTRACT_PRICE""#),
            ("ot", JSONLiteral.string(order.type.rawValue)),
            ("ps", JSONLiteral.string(order.positionSide.rawValue)), ("cp", "false"),
            ("rp", JSONLiteral.string(TradingMath.format8(fill?.realizedPnl ?? 0))), ("pP", "false"), ("si", "0"),
            ("ss", "0"),
            ("V", #""NONE""#), ("pm", #""NONE""#), ("gtd", "0"),
        ]
        return #"{"e":"ORDER_TRADE_UPDATE","E":\#(now),"T":\#(now),"o":{"#
            + fields.map { #""\#($0.0)":\#($0.1)"# }
            .joined(separator: ",") + "}}"
    }

    private static func accountUpdate(
        _ account: TradingAccount, positions: [String], reason: String,
        marks: (SymbolSpec) -> Int64, now: Int64
    ) -> String {
        let isolated = account.positions.reduce(Int64(0)) { total, entry in
            let symbol = String(entry.key.prefix { $0 != "|" })
            return total + (account.isIsolated(symbol) ? entry.value.isolatedWallet : 0)
        }
        let rows = positions.compactMap { key -> String? in
            let parts = key.split(separator: "|").map(String.init)
            guard parts.count == 2, let spec = SymbolSpec.bySymbol[parts[0]], let position = account.positions[key]
            else { return nil }
            let entry = position.entryPrice(spec)
            return #"{"s":"\#(spec.symbol)","pa":"\#(spec.formatQuantity(position.amount))","#
                + #""ep":"\#(TradingMath.trimmed8(entry))","up":"\#(TradingMath.format8(position.unrealizedProfit(mark: marks(spec), spec)))","#
                + #""mt":"\#(account.marginType(spec.symbol))","iw":"\#(TradingMath.format8(position.isolatedWallet))","#
                + #""ps":"\#(parts[1])"}"#
        }
        return #"{"e":"ACCOUNT_UPDATE","E":\#(now),"T":\#(now),"a":{"m":"\#(reason)","#
            + #""B":[{"a":"USDT","wb":"\#(TradingMath.format8(account.wallet))","cw":"\#(TradingMath.format8(account.wallet - isolated))","bc":"0"}],"#
            + #""P":[\#(rows.joined(separator: ","))]}}"#
    }
}
