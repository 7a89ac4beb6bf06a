import RawJSON

/// `batchOrders` POST and PUT, `openOrder` and `order/test`: the REST order calls that have no
/// WebSocket method of their own, built on `place`, `modify` and `find`.
extension TradingEngine {
    /// Up to 5 orders in `batchOrders` (a JSON array of objects whose values are the single
    /// calls' parameters), placed (or, with `modify`, modified) in order; each entry is the
    /// order's answer or its own `{"code","msg"}`.
    mutating func restBatch(
        _ apiKey: String, _ params: TradingParams, now: Int64, books: (SymbolSpec) -> MarketData.Book,
        modify: Bool
    ) throws(ExchangeError) -> String {
        let raw = try params.required("batchOrders")
        guard let list = RESTQuery.jsonList(raw), !list.isEmpty, list.count <= 5 else {
            throw .invalidParameter("batchOrders")
        }
        var orders: [TradingParams] = []
        for item in list {
            guard let object = item.object else { throw .invalidParameter("batchOrders") }
            var values: [String: String] = [:]
            for member in object.members {
                guard values[member.key] == nil else { throw .duplicateParameter }
                values[member.key] = member.value.string ?? member.value.json
            }
            orders.append(TradingParams(values))
        }
        var entries: [String] = []
        for order in orders {
            do {
                entries.append(
                    modify
                        ? try self.modify(apiKey, order, now: now, books: books)
                        : try place(apiKey, order, now: now, books: books))
            } catch {
                entries.append(error.json)
            }
        }
        return Self.array(entries)
    }

    /// `openOrder`: one open order by `orderId` or `origClientOrderId`; -2013 when it is not open.
    func restOpenOrder(_ apiKey: String, _ params: TradingParams) throws(ExchangeError) -> String {
        let spec = try symbol(params)
        guard let order = try find(account(apiKey), spec, params), order.isOpen else { throw .noSuchOrder }
        return OrderFormat.queried(order)
    }

    /// `order/test`: every check a placement makes, on a copy of the engine; `{}` when it would pass.
    func restTestOrder(
        _ apiKey: String, _ params: TradingParams, now: Int64,
        books: (SymbolSpec) -> MarketData.Book
    ) throws(ExchangeError) -> String {
        var copy = self
        _ = try copy.place(apiKey, params, now: now, books: books)
        return "{}"
    }
}
