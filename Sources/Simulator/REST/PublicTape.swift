/// The public trade history of a symbol as clients see it: the synthetic `MarketTape` (the other
/// market participants) merged with the exchange's own fills (`FillLog`), in id order, which is
/// time order (see `FillLog` for the shared id space). Nothing later than `now` is shown.
struct PublicTape {
    /// One aggregate trade. A synthetic group `g` (trades `3g…3g+2`) has id `3g × idStride`, its
    /// first trade's id; each fill is an aggregate of its own, with the fill's id.
    struct Aggregate {
        let id: Int64
        let price: Int64
        let quantity: Int64
        let firstId: Int64
        let lastId: Int64
        let time: Int64
        let isBuyerMaker: Bool
    }

    let tape: MarketTape
    let fills: ArraySlice<ExchangeFill>
    let now: Int64

    /// The fills of the tape's symbol that happened at or before `now`.
    private var shown: [ExchangeFill] { fills.filter { $0.time <= now } }

    static func trade(_ fill: ExchangeFill) -> MarketTape.Trade {
        MarketTape.Trade(
            id: fill.id, price: fill.price, quantity: fill.quantity, time: fill.time, isBuyerMaker: fill.isBuyerMaker)
    }

    /// The latest `limit` trades.
    func recent(_ limit: Int) -> [MarketTape.Trade] {
        let last = MarketTape.lastTradeId(at: now)
        let synthetic = (max(0, last - Int64(limit) + 1)...last).map(tape.trade)
        return Array((synthetic + shown.map(Self.trade)).sorted { $0.id < $1.id }.suffix(limit))
    }

    /// Up to `limit` trades with ids from `fromId` on.
    func trades(from fromId: Int64, limit: Int) -> [MarketTape.Trade] {
        let first = Self.dividedRoundingUp(fromId, by: MarketTape.idStride)
        let end = min(MarketTape.lastTradeId(at: now), first + Int64(limit) - 1)
        let synthetic = first <= end ? (first...end).map(tape.trade) : []
        let own = shown.filter { $0.id >= fromId }.map(Self.trade)
        return Array((synthetic + own).sorted { $0.id < $1.id }.prefix(limit))
    }

    /// Up to `limit` aggregates: from aggregate id `fromId` on, else from `startTime` on, else the
    /// latest up to `endTime` (or now); never later than `endTime`.
    func aggregates(fromId: Int64?, startTime: Int64?, endTime: Int64?, limit: Int64) -> [Aggregate] {
        let groupIds = MarketTape.groupSize * MarketTape.idStride
        let groupMillis = MarketTape.tradeSpacing * MarketTape.groupSize
        let lastGroup = MarketTape.lastTradeId(at: now) / MarketTape.groupSize
        var first: Int64, last: Int64
        var own = shown.filter { $0.time <= (endTime ?? .max) }
        if let fromId {
            first = Self.dividedRoundingUp(fromId, by: groupIds)
            last = first + limit - 1
            own = own.filter { $0.id >= fromId }
        } else if let startTime {
            first = Self.dividedRoundingUp(max(0, startTime), by: groupMillis)
            last = first + limit - 1
            own = own.filter { $0.time >= startTime }
        } else {
            last = endTime.map { max(-1, $0) / groupMillis } ?? lastGroup
            first = last - limit + 1
        }
        if let endTime { last = min(last, endTime / groupMillis) }
        first = max(0, first)
        last = min(last, lastGroup)
        let synthetic = first <= last ? (first...last).map(group) : []
        let merged = (synthetic + own.map(Self.aggregate)).sorted { $0.id < $1.id }
        return fromId == nil && startTime == nil ? Array(merged.suffix(Int(limit))) : Array(merged.prefix(Int(limit)))
    }

    /// `value / divisor` rounded up, for `value >= 0`, without overflowing near `Int64.max`
    /// (a client's `fromId` may be any 64-bit id).
    static func dividedRoundingUp(_ value: Int64, by divisor: Int64) -> Int64 {
        value / divisor + (value % divisor == 0 ? 0 : 1)
    }

    /// Synthetic aggregate `g`: its trades at or before `now`, same price and taker side.
    private func group(_ g: Int64) -> Aggregate {
        let lastTrade = MarketTape.lastTradeId(at: now)
        let numbers = (g * MarketTape.groupSize)...min(lastTrade, g * MarketTape.groupSize + MarketTape.groupSize - 1)
        let trades = numbers.map(tape.trade)
        return Aggregate(
            id: trades[0].id, price: trades[0].price, quantity: trades.reduce(0) { $0 + $1.quantity },
            firstId: trades[0].id, lastId: trades[trades.count - 1].id, time: trades[0].time,
            isBuyerMaker: trades[0].isBuyerMaker)
    }

    private static func aggregate(_ fill: ExchangeFill) -> Aggregate {
        Aggregate(
            id: fill.id, price: fill.price, quantity: fill.quantity, firstId: fill.id, lastId: fill.id,
            time: fill.time, isBuyerMaker: fill.isBuyerMaker)
    }
}
