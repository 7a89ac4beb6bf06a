import Catalog
import RawJSON

/// How the gateway finds out what a state-changing call did when no answer says: one
/// read-only query per upstream target, and how to judge its answer. A new state-changing
/// target is a new row of `lookup(for:)`.
struct OutcomeLookup: Sendable {
    /// What the query's answer shows.
    enum Finding: Sendable, Equatable {
        /// The call took effect; the body stands in for its answer.
        case applied(ArraySlice<UInt8>)
        /// The call took no effect, as the finding says ("the exchange has no order x: it was not placed").
        case notApplied(String)
        /// The answer settles nothing (an error, an unexpected shape).
        case undetermined
    }

    let query: CallPlan
    let judge: @Sendable (CallReply) -> Finding

    /// The lookup for `plan`, sent after `sentAfter` (exchange time, ms), or `nil` when its
    /// target has none (the call's outcome stays unknown).
    static func lookup(for plan: CallPlan, sentAfter: Int64) -> OutcomeLookup? {
        let arguments = plan.arguments
        switch plan.target {
        case .webSocket("order.place"):
            guard let id = arguments["newClientOrderId"]?.plainText, let symbol = arguments["symbol"] else {
                return nil
            }
            return OutcomeLookup(
                query: query(.webSocket("order.status"), [("symbol", symbol), ("origClientOrderId", .text(id))])
            ) {
                reply in
                if reply.succeeded { return .applied(reply.body) }
                return reply.errorCode == -2013
                    ? .notApplied("the exchange has no order \(id): it was not placed") : .undetermined
            }
        case .webSocket("algoOrder.place"):
            guard let id = arguments["clientAlgoId"]?.plainText else { return nil }
            return OutcomeLookup(query: query(.rest(.GET, "/fapi/v1/algoOrder"), [("clientAlgoId", .text(id))])) {
                reply in
                if reply.succeeded { return .applied(reply.body) }
                return reply.errorCode == -2013
                    ? .notApplied("the exchange has no algo order \(id): it was not placed") : .undetermined
            }
        case .webSocket("order.modify"):
            guard let symbol = arguments["symbol"], let order = orderReference(arguments),
                let price = arguments["price"]?.plainText, let quantity = arguments["quantity"]?.plainText
            else { return nil }
            return OutcomeLookup(query: query(.webSocket("order.status"), [("symbol", symbol), order])) { reply in
                guard reply.succeeded, let found = try? JSONObject(parsing: reply.body),
                    let foundPrice = found["price"]?.string, let foundQuantity = found["origQty"]?.string
                else { return .undetermined }
                if Decimals.equal(foundPrice, price) && Decimals.equal(foundQuantity, quantity) {
                    return .applied(reply.body)
                }
                return .notApplied(
                    "order \(order.value.plainText) still has price \(foundPrice) and quantity \(foundQuantity): it was not modified"
                )
            }
        case .webSocket("order.cancel"):
            guard let symbol = arguments["symbol"], let order = orderReference(arguments) else { return nil }
            return OutcomeLookup(query: query(.webSocket("order.status"), [("symbol", symbol), order])) { reply in
                guard reply.succeeded, let status = (try? JSONObject(parsing: reply.body))?["status"]?.string else {
                    return .undetermined
                }
                if status == "CANCELED" { return .applied(reply.body) }
                return .notApplied("order \(order.value.plainText) is \(status): it was not cancelled")
            }
        case .webSocket("algoOrder.cancel"):
            let named = ["algoId", "clientAlgoId"].lazy.compactMap { name in arguments[name].map { (name, $0) } }
            guard let order = named.first else { return nil }
            return OutcomeLookup(query: query(.rest(.GET, "/fapi/v1/algoOrder"), [order])) { reply in
                guard reply.succeeded, let status = (try? JSONObject(parsing: reply.body))?["algoStatus"]?.string else {
                    return .undetermined
                }
                if status == "CANCELED" { return .applied(reply.body) }
                return .notApplied("algo order \(order.1.plainText) is \(status): it was not cancelled")
            }
        case .rest(.DELETE, "/fapi/v1/allOpenOrders"):
            guard let symbol = arguments["symbol"] else { return nil }
            return OutcomeLookup(query: query(.rest(.GET, "/fapi/v1/openOrders"), [("symbol", symbol)])) { reply in
                guard reply.succeeded, let open = rawArray(reply.body) else { return .undetermined }
                if open.isEmpty {
                    return .applied(
                        Array(#"{"code":200,"msg":"The operation of cancel all open order is done."}"#.utf8)[...])
                }
                return .notApplied("\(symbol.plainText) still has \(open.count) open orders: they were not cancelled")
            }
        case .rest(.DELETE, "/fapi/v1/batchOrders"):
            return batchCancelLookup(arguments)
        case .rest(.POST, "/fapi/v1/positionMargin"):
            return positionMarginLookup(arguments, sentAfter: sentAfter)
        case .rest(.POST, "/fapi/v1/leverage"):
            guard let symbol = arguments["symbol"], let leverage = arguments["leverage"]?.plainText else { return nil }
            return positionLookup(symbol) { position in
                guard let current = position["leverage"]?.string else { return .undetermined }
                guard current == leverage else {
                    return .notApplied("\(symbol.plainText)'s leverage is still \(current): it was not changed")
                }
                let notional = position["maxNotionalValue"]?.string ?? "0"
                return .applied(
                    Array(
                        #"{"leverage":\#(current),"maxNotionalValue":\#(JSONString.quoted(notional)),"symbol":\#(symbol.jsonText)}"#
                            .utf8)[...])
            }
        case .rest(.POST, "/fapi/v1/marginType"):
            guard let symbol = arguments["symbol"], let wanted = arguments["marginType"]?.plainText else { return nil }
            return positionLookup(symbol) { position in
                guard let current = position["marginType"]?.string else { return .undetermined }
                if current.uppercased() == wanted || (current == "cross" && wanted == "CROSSED") {
                    return .applied(Array(#"{"code":200,"msg":"success"}"#.utf8)[...])
                }
                return .notApplied("\(symbol.plainText)'s margin type is still \(current): it was not changed")
            }
        default:
            return nil
        }
    }

    /// `orderId` or `origClientOrderId`, whichever the call names the order by.
    private static func orderReference(_ arguments: CallArguments) -> (name: String, value: ParamValue)? {
        if let id = arguments["orderId"] { return ("orderId", id) }
        return arguments["origClientOrderId"].map { ("origClientOrderId", $0) }
    }

    /// The symbol's position (`account.position`), judged by `judge`.
    private static func positionLookup(
        _ symbol: ParamValue,
        judge: @escaping @Sendable (JSONObject) -> Finding
    ) -> OutcomeLookup {
        OutcomeLookup(query: query(.webSocket("account.position"), [("symbol", symbol)])) { reply in
            guard reply.succeeded, let rows = rawArray(reply.body),
                let position = rows.lazy.compactMap(\.object).first(where: { $0["symbol"]?.string == symbol.plainText })
            else { return .undetermined }
            return judge(position)
        }
    }

    /// A batch cancel: every listed order CANCELED is applied, every one still open is not.
    private static func batchCancelLookup(_ arguments: CallArguments) -> OutcomeLookup? {
        guard let symbol = arguments["symbol"] else { return nil }
        let byOrderId = arguments["orderIdList"] != nil
        guard let list = arguments[byOrderId ? "orderIdList" : "origClientOrderIdList"],
            let wanted = rawArray(Array(list.plainText.utf8)[...])?.map({ $0.string ?? $0.json }), !wanted.isEmpty
        else { return nil }
        let key = byOrderId ? "orderId" : "clientOrderId"
        return OutcomeLookup(
            query: query(.rest(.GET, "/fapi/v1/allOrders"), [("symbol", symbol), ("limit", .integer("1000"))])
        ) {
            reply in
            guard reply.succeeded, let orders = rawArray(reply.body)?.compactMap(\.object) else { return .undetermined }
            var found: [JSONObject] = []
            for id in wanted {
                guard let order = orders.first(where: { ($0[key]?.string ?? $0[key]?.json) == id }) else {
                    return .undetermined
                }
                found.append(order)
            }
            let statuses = found.map { $0["status"]?.string ?? "" }
            if statuses.allSatisfy({ $0 == "CANCELED" }) {
                let body = "[" + found.map { JSONObjectText.text(of: $0) }.joined(separator: ",") + "]"
                return .applied(Array(body.utf8)[...])
            }
            if statuses.allSatisfy({ $0 == "NEW" || $0 == "PARTIALLY_FILLED" }) {
                return .notApplied("the \(wanted.count) listed orders are still open: they were not cancelled")
            }
            return .undetermined
        }
    }

    /// A margin change is applied when the symbol's margin history shows one of the same type and
    /// amount (and position side) since it was sent.
    private static func positionMarginLookup(_ arguments: CallArguments, sentAfter: Int64) -> OutcomeLookup? {
        guard let symbol = arguments["symbol"], let amount = arguments["amount"]?.plainText,
            let type = arguments["type"]?.plainText
        else { return nil }
        let side = arguments["positionSide"]?.plainText
        let history = query(
            .rest(.GET, "/fapi/v1/positionMargin/history"),
            [("symbol", symbol), ("type", .integer(type)), ("startTime", .integer(String(sentAfter)))])
        return OutcomeLookup(query: history) { reply in
            guard reply.succeeded, let changes = rawArray(reply.body)?.compactMap(\.object) else {
                return .undetermined
            }
            let made = changes.contains { change in
                Decimals.equal(change["amount"]?.string ?? "", amount) && change["type"]?.json == type
                    && (side == nil || change["positionSide"]?.string == side)
            }
            guard made else { return .notApplied("no margin change of \(amount) was made to \(symbol.plainText)") }
            let body = #"{"amount":\#(amount),"code":200,"msg":"Successfully modify position margin.","type":\#(type)}"#
            return .applied(Array(body.utf8)[...])
        }
    }

    private static func query(_ target: UpstreamTarget, _ arguments: [(name: String, value: ParamValue)]) -> CallPlan {
        CallPlan(
            call: "lookup/" + target.description, target: target, security: .signed, changesState: false,
            arguments: CallArguments(arguments), weight: 1, orders: 0, clientOrderIdKey: nil)
    }

    private static func rawArray(_ body: ArraySlice<UInt8>) -> [RawJSONScanner.Value]? {
        var scanner = RawJSONScanner(body)
        return try? scanner.arrayDocument()
    }
}

/// An object's JSON text again, from its members.
enum JSONObjectText {
    static func text(of object: JSONObject) -> String {
        "{" + object.members.map { JSONString.quoted($0.key) + ":" + $0.value.json }.joined(separator: ",") + "}"
    }
}

/// Decimal text compared by value: `30000.0` equals `30000` and `030000.00`.
enum Decimals {
    static func equal(_ lhs: String, _ rhs: String) -> Bool { normalized(lhs) == normalized(rhs) }

    static func normalized(_ text: String) -> Substring {
        var digits = text[...]
        if digits.contains(".") {
            while digits.last == "0" { digits = digits.dropLast() }
            if digits.last == "." { digits = digits.dropLast() }
        }
        while digits.count > 1, digits.first == "0", digits.dropFirst().first != "." { digits = digits.dropFirst() }
        return digits
    }
}
