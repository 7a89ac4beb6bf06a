import RawJSON

/// The streams pushed on a schedule rather than on a change: mark prices and klines. They are
/// made under the state lock, like the change-driven ones, so every stream sees one order.
extension SimulatedExchange {
    /// Publishes `@markPrice@1s` and `!markPrice@arr@1s` (`fast`) or `@markPrice` and
    /// `!markPrice@arr`; with `klines`, the current `@kline_<i>` of every subscribed interval.
    func publishTimedStreams(fast: Bool, klines: Bool) {
        let hub = marketStreams
        let now = clock()
        state.withLock { state in
            let (marks, funding) = (state.marks, state.funding)
            let suffix = fast ? "@1s" : ""
            var all: [String] = []
            let wantsAll = hub.isSubscribed(anyOf: ["!markPrice@arr" + suffix])
            for spec in SymbolSpec.all {
                let symbol = spec.symbol.lowercased()
                let names = ["\(symbol)@markPrice" + suffix]
                guard wantsAll || hub.isSubscribed(anyOf: names) else { continue }
                let payload = MarketEventFormat.markPrice(spec, mark: marks(spec), funding: funding, now: now)
                hub.publish(payload, to: names)
                all.append(payload)
            }
            if wantsAll { hub.publish("[" + all.joined(separator: ",") + "]", to: ["!markPrice@arr" + suffix]) }
            guard klines else { return }
            for spec in SymbolSpec.all {
                for interval in KlineInterval.names {
                    let name = "\(spec.symbol.lowercased())@kline_\(interval)"
                    guard hub.isSubscribed(anyOf: [name]) else { continue }
                    let tape = PublicTape(
                        tape: MarketTape(seed: state.market.seed, spec: spec),
                        fills: state.trading.fills.fills(spec.symbol), now: now)
                    if let payload = Self.kline(tape, interval: interval, now: now) {
                        hub.publish(payload, to: [name])
                    }
                }
            }
        }
    }

    /// The `kline` event of the bucket that contains `now`, with the values
    /// `GET /fapi/v1/klines?limit=1` answers at the same moment.
    static func kline(_ tape: PublicTape, interval name: String, now: Int64) -> String? {
        guard let interval = KlineInterval(name),
            let rows = try? RESTKlines.answer(
                .trades, tape, TradingParams(["interval": name, "limit": "1"]), now: now),
            var scanner = Optional(RawJSONScanner(Array(rows.utf8))),
            let row = try? scanner.arrayDocument().first?.array, row.count == 12
        else { return nil }
        let open = interval.open(containing: now), close = interval.next(after: open) - 1
        let fills = tape.fills.filter { $0.time >= open && $0.time <= now }
        let summary = RESTKlines.tradeSummary(tape.tape, open: open, close: close, now: now, fills: Array(fills))
        let (first, last) = (summary?.first.id ?? -1, summary?.last.id ?? -1)
        let symbol = tape.tape.spec.symbol
        return #"{"e":"kline","E":\#(now),"s":"\#(symbol)","k":{"t":\#(row[0].json),"T":\#(row[6].json),"#
            + #""s":"\#(symbol)","i":"\#(name)","f":\#(first),"L":\#(last),"o":\#(row[1].json),"c":\#(row[4].json),"#
            + #""h":\#(row[2].json),"l":\#(row[3].json),"v":\#(row[5].json),"n":\#(row[8].json),"x":false,"#
            + #""q":\#(row[7].json),"V":\#(row[9].json),"Q":\#(row[10].json),"B":"0"}}"#
    }
}
