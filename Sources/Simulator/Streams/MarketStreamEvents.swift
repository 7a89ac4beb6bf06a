/// What one change of the exchange's state means on the market streams: for each symbol whose
/// market stepped, a depth diff (`U`/`u`/`pu` chained on the book's update ids, so a local book
/// follows `GET /fapi/v1/depth`), top-N snapshots and a book ticker when the top changed; an
/// aggregate trade for each new fill. Runs under the state lock, so events leave in order.
enum MarketStreamEvents {
    static let partialDepths = [5, 10, 20]

    static func depthStreams(_ symbol: String) -> [String] {
        ["\(symbol)@depth", "\(symbol)@depth@100ms", "\(symbol)@depth@500ms", "\(symbol)@rpiDepth@500ms"]
    }

    static func partialStreams(_ symbol: String, levels: Int) -> [String] {
        ["\(symbol)@depth\(levels)", "\(symbol)@depth\(levels)@100ms", "\(symbol)@depth\(levels)@500ms"]
    }

    static func publish(
        before: MarketData, lastFills: [String: Int64], state: SimulatedExchange.State, hub: MarketStreamHub,
        now: Int64
    ) {
        for spec in SymbolSpec.all {
            let symbol = spec.symbol.lowercased()
            let (oldStep, newStep) = (before.stepCount(spec), state.market.stepCount(spec))
            if oldStep != newStep {
                publishSteps(spec, symbol, before: before, after: state.market, hub: hub, now: now)
            }
            let fills = state.trading.fills.fills(spec.symbol), last = lastFills[spec.symbol, default: 0]
            let aggTrade = ["\(symbol)@aggTrade"]
            guard fills.last.map({ $0.id > last }) == true, hub.isSubscribed(anyOf: aggTrade) else { continue }
            for fill in fills.reversed().prefix(while: { $0.id > last }).reversed() {
                hub.publish(MarketEventFormat.aggTrade(fill, spec, now: now), to: aggTrade)
            }
        }
    }

    private static func publishSteps(
        _ spec: SymbolSpec, _ symbol: String, before: MarketData, after: MarketData, hub: MarketStreamHub, now: Int64
    ) {
        let old = before.currentBook(spec, depth: MarketData.fullDepth)
        let new = after.currentBook(spec, depth: MarketData.fullDepth)
        let diffStreams = depthStreams(symbol)
        if hub.isSubscribed(anyOf: diffStreams) {
            let bids = diff(old.bids, new.bids).sorted { $0.price > $1.price }
            let asks = diff(old.asks, new.asks).sorted { $0.price < $1.price }
            let payload = MarketEventFormat.depthUpdate(
                spec, first: old.updateID + 1, last: new.updateID, previous: old.updateID, bids: bids, asks: asks,
                now: now)
            hub.publish(payload, to: diffStreams, isDepthDiff: true)
        }
        for levels in partialDepths {
            let streams = partialStreams(symbol, levels: levels)
            guard hub.isSubscribed(anyOf: streams) else { continue }
            let payload = MarketEventFormat.depthUpdate(
                spec, first: old.updateID + 1, last: new.updateID, previous: old.updateID,
                bids: new.bids.prefix(levels).map { ($0.price, $0.quantity) },
                asks: new.asks.prefix(levels).map { ($0.price, $0.quantity) }, now: now)
            hub.publish(payload, to: streams)
        }
        let tickers = ["\(symbol)@bookTicker", "!bookTicker"]
        if old.bids[0] != new.bids[0] || old.asks[0] != new.asks[0], hub.isSubscribed(anyOf: tickers) {
            hub.publish(MarketEventFormat.bookTicker(new, spec, now: now), to: tickers)
        }
    }

    /// The levels of `new` whose quantity differs from `old`, and those gone from it (quantity 0).
    static func diff(_ old: [MarketData.Level], _ new: [MarketData.Level]) -> [MarketEventFormat.Level] {
        let before = Dictionary(old.map { ($0.price, $0.quantity) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.map { ($0.price, $0.quantity) }, uniquingKeysWith: { first, _ in first })
        var changes = new.compactMap { level in
            before[level.price] == level.quantity ? nil : (price: level.price, quantity: level.quantity)
        }
        changes += old.compactMap { after[$0.price] == nil ? (price: $0.price, quantity: Int64(0)) : nil }
        return changes
    }
}
