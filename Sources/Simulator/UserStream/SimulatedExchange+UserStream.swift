/// User data streams: the exchange's state changes, seen from the accounts someone follows.
extension SimulatedExchange {
    /// Runs `body` on the state under its lock. For every account followed on a user data stream,
    /// what `body` changed is then sent as events, once the lock is released.
    func withWatchedState<Result: Sendable>(now: Int64, _ body: (inout State) -> Result) -> Result {
        let watched = userStreams.accounts
        guard !watched.isEmpty else { return state.withLock { body(&$0) } }
        let (result, events) = state.withLock { state -> (Result, [(apiKey: String, text: String)]) in
            let before = watched.map { state.trading.accounts[$0] }
            let lastFill = Dictionary(
                uniqueKeysWithValues: SymbolSpec.all.map {
                    ($0.symbol, state.trading.fills.fills($0.symbol).last?.id ?? 0)
                })
            let result = body(&state)
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

    /// The API key an active listen key belongs to.
    func listenKeyOwner(_ listenKey: String) -> String? {
        state.withLock { $0.listenKeys.first { $0.value == listenKey }?.key }
    }
}
