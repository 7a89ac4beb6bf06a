/// The five kline endpoints over the `MarketTape`, each row in Binance's 12-element array shape:
/// `[openTime,"open","high","low","close","volume",closeTime,"quoteVolume",trades,"takerBuyVolume","takerBuyQuoteVolume","0"]`.
///
/// Trade klines aggregate the tape's trades in the bucket (exact up to `maxSamples` trades, else
/// an evenly spaced sample scaled to the bucket's trade count). Mark, index and premium klines
/// sample the price path (volumes `"0"`; the count is the bucket's seconds, or 5-second steps for
/// premium, as in the official examples). The current bucket ends at `now`; none is later.
/// The exchange's own fills (`PublicTape.fills`) count exactly in the trade klines: volumes,
/// trade count, high/low, and open/close when a fill is the bucket's first or last trade.
enum RESTKlines {
    enum Kind: Sendable { case trades, mark, index, premium }

    static let maxSamples: Int64 = 240

    static func answer(
        _ kind: Kind, _ publicTape: PublicTape, _ params: TradingParams, now: Int64
    ) throws(ExchangeError) -> String {
        let tape = publicTape.tape
        guard let interval = KlineInterval(try params.required("interval")) else { throw .invalidInterval }
        let limit = try RESTLimit.parse(params, default: 500, max: 1500)
        let startTime = try params.integer("startTime"), endTime = try params.integer("endTime")
        if let startTime, startTime < 0 { throw .invalidParameter("startTime") }
        if let endTime, endTime < 0 { throw .invalidParameter("endTime") }
        let end = min(endTime ?? now, now)
        var opens: [Int64] = []
        if let startTime {
            // A start after the end finds nothing; near Int64.max, the bucket arithmetic would overflow.
            var open = startTime <= end ? interval.open(containing: startTime) : end + 1
            if open < startTime && startTime <= end { open = interval.next(after: open) }
            while open <= end && opens.count < limit {
                opens.append(open)
                open = interval.next(after: open)
            }
        } else if end >= 0 {
            var open = interval.open(containing: end)
            while opens.count < limit && open >= 0 {
                opens.append(open)
                open = interval.previous(before: open)
            }
            opens.reverse()
        }
        var fillsByOpen: [Int64: [ExchangeFill]] = [:]
        if kind == .trades, let firstOpen = opens.first {
            for fill in publicTape.fills where fill.time >= firstOpen && fill.time <= end {
                fillsByOpen[interval.open(containing: fill.time), default: []].append(fill)
            }
        }
        return "["
            + opens.map { open in
                let close = interval.next(after: open) - 1
                return kind == .trades
                    ? tradeRow(tape, open: open, close: close, now: now, fills: fillsByOpen[open] ?? [])
                    : priceRow(kind, tape, open: open, close: close, now: now)
            }.joined(separator: ",") + "]"
    }

    /// The trades of one bucket, summed (nil when it has none): what a trade kline and the
    /// 24-hour ticker print. Volumes are in quantity units and 10^-(price+quantity decimals).
    struct TradeSummary {
        var open, high, low, close: Int64
        var volume, quote, buyVolume, buyQuote: Int64
        var count: Int64
        var first, last: MarketTape.Trade
    }

    static func tradeSummary(
        _ tape: MarketTape, open: Int64, close: Int64, now: Int64,
        fills: [ExchangeFill]
    ) -> TradeSummary? {
        let firstNumber = (open + MarketTape.tradeSpacing - 1) / MarketTape.tradeSpacing
        let lastNumber = MarketTape.lastTradeId(at: min(close, now))
        let count = max(0, lastNumber - firstNumber + 1)
        let stride = max(1, (count + maxSamples - 1) / maxSamples)
        var high = Int64.min, low = Int64.max
        var volume: Int64 = 0, quote: Int64 = 0, buyVolume: Int64 = 0, buyQuote: Int64 = 0, sampled: Int64 = 0
        if count > 0 {
            for id in Swift.stride(from: firstNumber, through: lastNumber, by: Int(stride)) {
                let trade = tape.trade(id)
                high = max(high, trade.price)
                low = min(low, trade.price)
                volume += trade.quantity
                quote += trade.price * trade.quantity
                if !trade.isBuyerMaker {
                    buyVolume += trade.quantity
                    buyQuote += trade.price * trade.quantity
                }
                sampled += 1
            }
        }
        func scaled(_ value: Int64) -> Int64 { sampled == 0 ? 0 : TradingMath.scale(value, count, sampled) }
        var volumes = (scaled(volume), scaled(quote), scaled(buyVolume), scaled(buyQuote))
        var first = count > 0 ? tape.trade(firstNumber) : nil, last = count > 0 ? tape.trade(lastNumber) : nil
        for fill in fills {
            high = max(high, fill.price)
            low = min(low, fill.price)
            volumes.0 += fill.quantity
            volumes.1 += fill.price * fill.quantity
            if !fill.isBuyerMaker {
                volumes.2 += fill.quantity
                volumes.3 += fill.price * fill.quantity
            }
            let trade = PublicTape.trade(fill)
            if first.map({ trade.id < $0.id }) ?? true { first = trade }
            if last.map({ trade.id > $0.id }) ?? true { last = trade }
        }
        guard let first, let last else { return nil }
        return TradeSummary(
            open: first.price, high: max(high, first.price, last.price), low: min(low, first.price, last.price),
            close: last.price, volume: volumes.0, quote: volumes.1, buyVolume: volumes.2, buyQuote: volumes.3,
            count: count + Int64(fills.count), first: first, last: last)
    }

    private static func tradeRow(
        _ tape: MarketTape, open: Int64, close: Int64, now: Int64, fills: [ExchangeFill]
    ) -> String {
        guard let summary = tradeSummary(tape, open: open, close: close, now: now, fills: fills) else {
            return row(open, close, [0, 0, 0, 0], volumes: nil, count: 0, tape.spec)
        }
        return row(
            open, close, [summary.open, summary.high, summary.low, summary.close],
            volumes: (summary.volume, summary.quote, summary.buyVolume, summary.buyQuote), count: summary.count,
            tape.spec)
    }

    private static func priceRow(_ kind: Kind, _ tape: MarketTape, open: Int64, close: Int64, now: Int64) -> String {
        let spec = tape.spec
        let end = min(close, now)
        let seconds = max(1, (end - open) / 1000 + 1)
        let step = max(1000, (end - open) / maxSamples)
        func value(_ time: Int64) -> Int64 {
            switch kind {
            case .index: return tape.indexPrice(time)
            case .premium:
                let index = tape.indexPrice(time)
                return TradingMath.scale(tape.markPrice(time) - index, 100_000_000, index)
            default: return tape.markPrice(time)
            }
        }
        let values = Swift.stride(from: open, through: end, by: Int(step)).map(value) + [value(end)]
        let prices = [values[0], values.max()!, values.min()!, values[values.count - 1]]
        if kind == .premium {
            let text = prices.map { #""\#(DecimalText.format($0, decimals: 8))""# }.joined(separator: ",")
            return #"[\#(open),\#(text),"0",\#(close),"0",\#(seconds / 5),"0","0","0"]"#
        }
        return row(open, close, prices, volumes: nil, count: seconds, spec)
    }

    private static func row(
        _ open: Int64, _ close: Int64, _ prices: [Int64], volumes: (Int64, Int64, Int64, Int64)?,
        count: Int64, _ spec: SymbolSpec
    ) -> String {
        let quoteDecimals = spec.priceDecimals + spec.quantityDecimals
        let (volume, quote, buyVolume, buyQuote) = volumes ?? (0, 0, 0, 0)
        let texts = prices.map { #""\#(spec.formatPrice($0))""# }.joined(separator: ",")
        let v = volumes == nil ? #""0""# : #""\#(spec.formatQuantity(volume))""#
        let qv = volumes == nil ? #""0""# : #""\#(DecimalText.format(quote, decimals: quoteDecimals))""#
        let bv = volumes == nil ? #""0""# : #""\#(spec.formatQuantity(buyVolume))""#
        let bq = volumes == nil ? #""0""# : #""\#(DecimalText.format(buyQuote, decimals: quoteDecimals))""#
        return #"[\#(open),\#(texts),\#(v),\#(close),\#(qv),\#(count),\#(bv),\#(bq),"0"]"#
    }
}
