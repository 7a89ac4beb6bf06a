/// One execution the engine made: an order of a simulated account against the book (which stands
/// for the other market participants). The public tape, the trade klines and `userTrades` read it.
///
/// Exactly one side belongs to an account: the taker when an order crossed the book on arrival,
/// the maker when a resting order was traded through by a market step.
struct ExchangeFill: Sendable, Equatable, Codable {
    /// Trade id on the public tape (see `FillLog.tradeId`).
    let id: Int64
    let symbol: String
    /// Price and quantity in the symbol's units.
    let price: Int64
    let quantity: Int64
    let time: Int64
    let isBuyerMaker: Bool
    let takerOrderId: Int64?
    let takerAccount: String?
    let makerOrderId: Int64?
    let makerAccount: String?
    /// What the account's side paid (commission) and realized, in 10^-8 USDT.
    let commission: Int64
    let realizedPnl: Int64
    /// The account's order: its side and position side.
    let side: OrderSide
    let positionSide: PositionSide

    /// The account whose order filled, and that order's id.
    var account: String { takerAccount ?? makerAccount ?? "" }
    var orderId: Int64 { takerOrderId ?? makerOrderId ?? 0 }
    var isMaker: Bool { makerAccount != nil }
}

/// The engine's executions, per symbol, in the order they happened, bounded to the latest
/// `capacity` per symbol (older ones leave the tape and `userTrades`).
///
/// Trade ids share one space with the synthetic tape: synthetic trade `n` (at `n × 500` ms) has
/// id `n × MarketTape.idStride`; a fill at time `t` gets the next free id after the synthetic
/// trade at or before `t`, so ids increase in time order and the same requests give the same ids.
/// Assumption: fewer than `idStride - 1` fills per symbol in one 500 ms slot (more spill into the
/// next slot's range: still unique and increasing, no longer exactly time-ordered).
struct FillLog: Sendable, Codable {
    static let capacity = 10_000

    private var bySymbol: [String: [ExchangeFill]] = [:]

    /// The fills of `symbol` still kept, oldest first (increasing ids).
    func fills(_ symbol: String) -> ArraySlice<ExchangeFill> { bySymbol[symbol, default: []].suffix(Self.capacity) }

    /// The id the next fill of `symbol` at `time` gets.
    func nextId(_ symbol: String, time: Int64) -> Int64 {
        let slot = MarketTape.lastTradeId(at: time) * MarketTape.idStride
        var id = max(slot, bySymbol[symbol]?.last?.id ?? 0) + 1
        if id % MarketTape.idStride == 0 { id += 1 }
        return id
    }

    /// Appends a fill; trims the symbol's log in chunks so appending stays cheap.
    mutating func append(_ fill: ExchangeFill) {
        bySymbol[fill.symbol, default: []].append(fill)
        if let count = bySymbol[fill.symbol]?.count, count > Self.capacity + Self.capacity / 10 {
            bySymbol[fill.symbol]?.removeFirst(count - Self.capacity)
        }
    }
}
