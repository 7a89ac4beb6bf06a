/// Balances, positions, account status and the account's trades. Seed calls 12-15 and
/// python-binance's v2 and status variants.
enum AccountCalls {
    static let all: [CallSpec] = [
        account(
            "ws_futures_account_position", "account.position", [P.optionalSymbol],
            "Position risk of every symbol, or of one."),
        account(
            "ws_futures_v2_account_position", "v2/account.position", [P.optionalSymbol],
            "Position risk (v2): symbols with a position or open orders."),
        account(
            "ws_futures_position_information", "v2/account.position", [P.optionalSymbol],
            "Positions, all or of one symbol (the seed's name; same as ws_futures_v2_account_position)."),
        account("ws_futures_account_balance", "account.balance", [], "Balance of every asset."),
        account("ws_futures_v2_account_balance", "v2/account.balance", [], "Balance of every asset (v2)."),
        account("ws_futures_account_status", "account.status", [], "Account information: assets and positions."),
        account(
            "ws_futures_v2_account_status", "v2/account.status", [],
            "Account information (v2): positions with a position or open orders."),
        CallSpec(
            "ws_futures_account_trades", .rest(.GET, "/fapi/v1/userTrades"), security: .signed,
            parameters: [P.symbol, P.orderId, P.startTime, P.endTime, P.fromId, P.limit], weight: .fixed(5),
            summary: "The account's own trades in a symbol."),
    ]

    private static func account(
        _ name: String, _ method: String, _ parameters: [ParameterSpec],
        _ summary: String
    ) -> CallSpec {
        CallSpec(
            name, .webSocket(method), security: .signed, parameters: parameters, weight: .fixed(5), summary: summary)
    }
}
