/// What the WebSocket API and the REST API answer alike, on the exchange's state (under its lock):
/// market steps with the matching and triggering they cause, the tickers, and listen keys.
extension SimulatedExchange.State {
    /// Steps `spec`'s market and answers its `depth` with `limit` levels (a limit `depthWeights` lists).
    mutating func depth(_ spec: SymbolSpec, limit: Int, now: Int64) -> String {
        let book = market.step(spec, depth: limit)
        afterStep(spec, book: book, now: now)
        return MarketDataFormat.depth(book, spec: spec, now: now)
    }

    /// `ticker.price` rows (one object for a symbol, an array for all), each a market step.
    mutating func priceTickers(_ spec: SymbolSpec?, now: Int64) -> String {
        tickers(spec, now: now) { market, spec, _ in
            MarketDataFormat.priceTicker(market.mid(spec), spec: spec, now: now)
        }
    }

    /// `ticker.book` rows (one object for a symbol, an array for all), each a market step.
    mutating func bookTickers(_ spec: SymbolSpec?, now: Int64) -> String {
        tickers(spec, now: now) { _, spec, top in MarketDataFormat.bookTicker(top, spec: spec, now: now) }
    }

    private mutating func tickers(
        _ spec: SymbolSpec?, now: Int64,
        _ row: (MarketData, SymbolSpec, MarketData.Book) -> String
    ) -> String {
        let rows = (spec.map { [$0] } ?? SymbolSpec.all).map { spec in
            let top = market.step(spec, depth: 1)
            afterStep(spec, book: market.currentBook(spec, depth: 20), now: now)
            return row(market, spec, top)
        }
        return spec == nil ? "[" + rows.joined(separator: ",") + "]" : rows[0]
    }

    /// After a market step: resting orders fill against the new book, algo orders trigger, and
    /// isolated positions past their maintenance margin are liquidated.
    mutating func afterStep(_ spec: SymbolSpec, book: MarketData.Book, now: Int64) {
        trading.match(symbol: spec.symbol, book: book, now: now)
        let market = market
        algos.trigger(symbol: spec.symbol, book: book, now: now, trading: &trading) {
            market.currentBook($0, depth: 20)
        }
        trading.liquidate(symbol: spec.symbol, mark: TradingMath.mark(book, spec), now: now)
    }

    /// The current book of a symbol (20 levels): what orders match against.
    var books: (SymbolSpec) -> MarketData.Book {
        let market = market
        return { market.currentBook($0, depth: 20) }
    }

    /// The mark price of a symbol in 10^-8 USDT: its book's mid.
    var marks: (SymbolSpec) -> Int64 {
        let market = market
        return { TradingMath.mark(market.currentBook($0, depth: 20), $0) }
    }

    /// Like the exchange: an active key is returned again (and extended), else a new one.
    mutating func startListenKey(_ owner: String, now: Int64) -> String {
        let key = liveListenKey(owner, now: now)?.key ?? SimulatorKeys.randomAlphanumerics(64)
        listenKeys[owner] = ListenKey(key: key, expiresAt: now + listenKeyLifetime)
        return #"{"listenKey":"\#(key)"}"#
    }

    mutating func keepListenKeyAlive(_ owner: String, now: Int64) -> Result<String, ExchangeError> {
        guard let key = liveListenKey(owner, now: now)?.key else { return .failure(.listenKeyMissing) }
        listenKeys[owner] = ListenKey(key: key, expiresAt: now + listenKeyLifetime)
        return .success(#"{"listenKey":"\#(key)"}"#)
    }

    /// The owner's key, unless it expired (a key past its time is gone even before the
    /// expiry sweep announces it).
    func liveListenKey(_ owner: String, now: Int64) -> ListenKey? {
        listenKeys[owner].flatMap { $0.expiresAt > now ? $0 : nil }
    }

    mutating func stopListenKey(_ owner: String) -> String {
        listenKeys[owner] = nil
        return "{}"
    }
}

/// Time passing on the exchange: funding settlements, checked before every request.
extension SimulatedExchange.State {
    /// How many funding times one request settles at most (a clock moved years ahead skips the rest).
    static let maxFundingSettlements = 10_000

    /// Fires the countdown cancels that ran out; settles every funding time since the last one up to `now`; after each, liquidates isolated
    /// positions the payment left below their maintenance margin.
    mutating func advance(to now: Int64) {
        trading.fireCountdowns(now: now)
        let due = funding.fundingTime(atOrBefore: now)
        guard let settled = settledFunding else {
            settledFunding = due
            return
        }
        guard due > settled else { return }
        let marks = marks
        let first = max(settled + funding.interval, due - Int64(Self.maxFundingSettlements - 1) * funding.interval)
        for time in stride(from: first, through: due, by: Int(funding.interval)) {
            let schedule = funding
            trading.settleFunding(at: time, rates: { schedule.rate($0, at: time) }, marks: marks)
            for spec in SymbolSpec.all { trading.liquidate(symbol: spec.symbol, mark: marks(spec), now: time) }
        }
        settledFunding = due
    }
}

extension SimulatedExchange {
    /// Moves every symbol's market one step, as a market-data request would (resting orders
    /// fill, algo orders trigger, isolated positions are liquidated), after settling what time
    /// owes. A paper exchange calls it on a timer so its market moves while nobody asks for data.
    public func stepMarkets() {
        let now = clock()
        withWatchedState(now: now) { state in
            state.advance(to: now)
            for spec in SymbolSpec.all {
                state.afterStep(spec, book: state.market.step(spec, depth: 20), now: now)
            }
        }
    }
}
