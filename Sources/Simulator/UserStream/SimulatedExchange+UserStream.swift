/// User data streams: the exchange's state changes, seen from the accounts someone follows.
extension SimulatedExchange {
    /// Runs `body` on the state under its lock. For every account followed on a user data stream,
    /// what `body` changed is then sent as events, once the lock is released.
    func withWatchedState<Result: Sendable>(now: Int64, _ body: (inout State) -> Result) -> Result {
        let watched = userStreams.accounts
        let streaming = marketStreams.hasSubscribers
        guard !watched.isEmpty || streaming else { return state.withLock { body(&$0) } }
        let (result, events) = state.withLock { state -> (Result, [(apiKey: String, text: String)]) in
            let before = watched.map { state.trading.accounts[$0] }
            let marketBefore = state.market
            let lastFill = Dictionary(
                uniqueKeysWithValues: SymbolSpec.all.map {
                    ($0.symbol, state.trading.fills.fills($0.symbol).last?.id ?? 0)
                })
            let result = body(&state)
            if streaming {
                MarketStreamEvents.publish(
                    before: marketBefore, lastFills: lastFill, state: state, hub: marketStreams, now: now)
            }
            guard !watched.isEmpty else { return (result, []) }
            let newFills = SymbolSpec.all.flatMap { spec in
                // Ids increase along the log: the new fills are the ones after the last old one.
                let fills = state.trading.fills.fills(spec.symbol), last = lastFill[spec.symbol, default: 0]
                return fills[(fills.lastIndex { $0.id <= last }.map { $0 + 1 } ?? fills.startIndex)...]
            }
            let marks = state.marks
            var events: [(apiKey: String, text: String)] = []
            for (key, old) in zip(watched, before) {
                guard let account = state.trading.accounts[key] else { continue }
                events += UserEventFormat.events(
                    before: old, after: account, newFills: newFills, apiKey: key, marks: marks, now: now
                )
                .map { (key, $0) }
            }
            return (result, events)
        }
        userStreams.deliver(events)
        return result
    }

    /// The API key a live listen key belongs to.
    func listenKeyOwner(_ listenKey: String) -> String? {
        let now = clock()
        return state.withLock { state in
            state.listenKeys.first { $0.value.key == listenKey && $0.value.expiresAt > now }?.key
        }
    }

    /// Removes the keys whose time ran out by now (or every key, for the `expireListenKeys`
    /// fault) and pushes `listenKeyExpired` on the streams that used them; those streams stay
    /// open and get nothing more, as on the exchange.
    func expireListenKeys(all: Bool = false) {
        let now = clock()
        let expired = state.withLock { state -> [ListenKey] in
            let gone = state.listenKeys.filter { all || $0.value.expiresAt <= now }
            for owner in gone.keys { state.listenKeys[owner] = nil }
            return gone.values.sorted { $0.key < $1.key }
        }
        for key in expired {
            userStreams.expire(key.key, event: MarketEventFormat.listenKeyExpired(key.key, now: now))
        }
    }

    /// How long new and kept-alive listen keys live (the exchange's: 60 minutes).
    public func setListenKeyLifetime(millis: Int64) {
        state.withLock { $0.listenKeyLifetime = max(1, millis) }
    }
}
