/// The futures account behind one API key: a USDT wallet, per-symbol leverage and margin type,
/// positions and orders. A plain value: the exchange's mutex owns it.
struct TradingAccount: Sendable, Codable {
    /// Margin figures of the whole account at given marks, all in 10^-8 USDT.
    ///
    /// `wallet` is the whole wallet, isolated wallets included; the cross side is what is left.
    /// Isolated positions answer for themselves: their profit and margin do not touch the cross
    /// side's available balance, which open orders (of any margin type) still draw on.
    struct Totals {
        var wallet: Int64 = 0
        var unrealized: Int64 = 0
        var positionInitialMargin: Int64 = 0
        var openOrderInitialMargin: Int64 = 0
        var maintMargin: Int64 = 0
        var isolatedWallet: Int64 = 0
        var isolatedUnrealized: Int64 = 0
        var isolatedPositionInitialMargin: Int64 = 0
        var initialMargin: Int64 { positionInitialMargin + openOrderInitialMargin }
        var marginBalance: Int64 { wallet + unrealized }
        var crossWallet: Int64 { wallet - isolatedWallet }
        var crossUnrealized: Int64 { unrealized - isolatedUnrealized }
        var crossInitialMargin: Int64 { positionInitialMargin - isolatedPositionInitialMargin + openOrderInitialMargin }
        var available: Int64 { max(0, crossWallet + crossUnrealized - crossInitialMargin) }
        var maxWithdraw: Int64 { max(0, min(crossWallet, available)) }
    }

    static let defaultLeverage = 20
    /// Assumption: one maintenance rate (0.4%, Binance's first tier for BTCUSDT) for every symbol.
    static let maintenanceRatePerTenThousand: Int64 = 40

    let alias: String
    var wallet: Int64
    var dualSidePosition = false
    var leverages: [String: Int] = [:]
    /// "cross" or "isolated" (then each position keeps its own isolated wallet).
    var marginTypes: [String: String] = [:]
    var positions: [String: TradingPosition] = [:]
    @SortedOnSave var orders: [Int64: TradingOrder] = [:]
    /// `countdownCancelAll` deadlines by symbol (ms since the epoch).
    var countdowns: [String: Int64] = [:]
    /// Wallet changes, oldest first (see `IncomeEntry`).
    var income: [IncomeEntry] = []
    /// Every isolated-margin change made with `positionMargin`, oldest first.
    var marginChanges: [MarginChange] = []
    var updateTime: Int64 = 0

    init(apiKey: String, wallet: Int64) {
        self.wallet = wallet
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var hash = apiKey.hashValueStable
        alias = String(
            (0..<4).map { _ in
                defer { hash /= 52 }
                return letters[Int(hash % 52)]
            })
    }

    func leverage(_ symbol: String) -> Int { leverages[symbol] ?? Self.defaultLeverage }
    func marginType(_ symbol: String) -> String { marginTypes[symbol] ?? "cross" }
    func isIsolated(_ symbol: String) -> Bool { marginType(symbol) == "isolated" }

    /// The position sides a symbol shows in the current mode.
    var positionSides: [PositionSide] { dualSidePosition ? [.long, .short] : [.both] }

    func position(_ symbol: String, _ side: PositionSide) -> TradingPosition {
        positions[symbol + "|" + side.rawValue] ?? .init()
    }

    mutating func update(_ symbol: String, _ side: PositionSide, _ change: (inout TradingPosition) -> Int64) -> Int64 {
        var position = position(symbol, side)
        let result = change(&position)
        positions[symbol + "|" + side.rawValue] = position
        return result
    }

    /// Open orders, oldest first (dictionary order is not stable across runs).
    func openOrders(_ symbol: String? = nil) -> [TradingOrder] {
        orders.values.filter { $0.isOpen && (symbol == nil || $0.spec.symbol == symbol) }.sorted {
            $0.orderId < $1.orderId
        }
    }

    func openOrderInitialMargin(_ spec: SymbolSpec) -> Int64 {
        openOrders(spec.symbol).reduce(0) {
            $0 + TradingMath.quote(price: $1.price, quantity: $1.remaining, spec) / Int64(leverage(spec.symbol))
        }
    }

    func positionInitialMargin(_ position: TradingPosition, mark: Int64, _ spec: SymbolSpec) -> Int64 {
        abs(position.notional(mark: mark, spec)) / Int64(leverage(spec.symbol))
    }

    func maintMargin(_ position: TradingPosition, mark: Int64, _ spec: SymbolSpec) -> Int64 {
        abs(position.notional(mark: mark, spec)) * Self.maintenanceRatePerTenThousand / 10_000
    }

    /// An isolated position's margin balance (`isolatedMargin`): its wallet plus its unrealized profit.
    func isolatedMargin(_ position: TradingPosition, mark: Int64, _ spec: SymbolSpec) -> Int64 {
        position.amount == 0 ? 0 : position.isolatedWallet + position.unrealizedProfit(mark: mark, spec)
    }

    /// What `positionMargin` type 2 may take back from an isolated position: the wallet, less any
    /// loss, above the initial margin the position needs at `mark`. Profit is not removable.
    func removableIsolatedMargin(_ position: TradingPosition, mark: Int64, _ spec: SymbolSpec) -> Int64 {
        let loss = min(0, position.unrealizedProfit(mark: mark, spec))
        return max(0, position.isolatedWallet + loss - positionInitialMargin(position, mark: mark, spec))
    }

    /// Whether the symbol has a position or open orders (what the V2 queries list).
    func isActive(_ spec: SymbolSpec) -> Bool {
        positionSides.contains { position(spec.symbol, $0).amount != 0 } || !openOrders(spec.symbol).isEmpty
    }

    func totals(marks: (SymbolSpec) -> Int64) -> Totals {
        var totals = Totals(wallet: wallet)
        for spec in SymbolSpec.all where isActive(spec) {
            let mark = marks(spec)
            for side in positionSides {
                let position = position(spec.symbol, side)
                let unrealized = position.unrealizedProfit(mark: mark, spec)
                let initialMargin = positionInitialMargin(position, mark: mark, spec)
                totals.unrealized += unrealized
                totals.positionInitialMargin += initialMargin
                totals.maintMargin += maintMargin(position, mark: mark, spec)
                if isIsolated(spec.symbol) {
                    totals.isolatedWallet += position.isolatedWallet
                    totals.isolatedUnrealized += unrealized
                    totals.isolatedPositionInitialMargin += initialMargin
                }
            }
            totals.openOrderInitialMargin += openOrderInitialMargin(spec)
        }
        return totals
    }
}
