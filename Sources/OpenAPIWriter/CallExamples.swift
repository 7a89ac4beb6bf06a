/// One working set of arguments per call, written into `openapi.yaml` as the request body's
/// `example` (and each GET query parameter's). They are the README's walkthrough, so a reader
/// and a conformance tool (schemathesis sends them first) see calls the simulator answers with 200.
///
/// Values are JSON text: `"BTCUSDT"` is a string, `5` a number.
public enum CallExamples {
    public static let arguments: [String: KeyValuePairs<String, String>] = [
        "ws_futures_get_order_book": ["symbol": btc, "limit": "5"],
        "ws_futures_get_recent_trades": ["symbol": btc, "limit": "5"],
        "ws_futures_get_historical_trades": ["symbol": btc, "limit": "5"],
        "ws_futures_get_aggregate_trades": ["symbol": btc, "limit": "5"],
        "ws_futures_get_klines": ["symbol": btc, "interval": #""1h""#, "limit": "3"],
        "ws_futures_get_continuous_klines": [
            "pair": btc, "contractType": #""PERPETUAL""#, "interval": #""1h""#, "limit": "3",
        ],
        "ws_futures_get_index_price_klines": ["pair": btc, "interval": #""1h""#, "limit": "3"],
        "ws_futures_get_mark_price_klines": ["symbol": btc, "interval": #""1h""#, "limit": "3"],
        "ws_futures_get_premium_index_klines": ["symbol": btc, "interval": #""1h""#, "limit": "3"],
        "ws_futures_get_all_tickers": ["symbol": btc],
        "ws_futures_get_orderbook_tickers": ["symbol": btc],
        "ws_futures_get_order_book_ticker": ["symbol": btc],
        "ws_futures_account_position": ["symbol": btc],
        "ws_futures_v2_account_position": ["symbol": btc],
        "ws_futures_position_information": ["symbol": btc],
        "ws_futures_account_balance": [:],
        "ws_futures_v2_account_balance": [:],
        "ws_futures_account_status": [:],
        "ws_futures_v2_account_status": [:],
        "ws_futures_account_trades": ["symbol": btc, "limit": "5"],
        "ws_futures_change_leverage": ["symbol": btc, "leverage": "10"],
        "ws_futures_change_margin_type": ["symbol": btc, "marginType": #""ISOLATED""#],
        "ws_futures_change_position_margin": ["symbol": btc, "amount": #""10""#, "type": "1"],
        "ws_futures_create_order": [
            "symbol": btc, "side": #""BUY""#, "type": #""LIMIT""#, "timeInForce": #""GTC""#,
            "quantity": #""0.010""#, "price": #""30000.0""#, "newClientOrderId": #""example-1""#,
        ],
        "ws_futures_create_algo_order": [
            "symbol": btc, "side": #""SELL""#, "type": #""TAKE_PROFIT_MARKET""#,
            "quantity": #""0.010""#, "triggerPrice": #""90000.0""#,
            "clientAlgoId": #""example-algo-1""#,
        ],
        "ws_futures_get_order": ["symbol": btc, "origClientOrderId": #""example-1""#],
        "ws_futures_modify_order": [
            "symbol": btc, "origClientOrderId": #""example-1""#, "side": #""BUY""#,
            "quantity": #""0.010""#, "price": #""30100.0""#,
        ],
        "ws_futures_edit_order": [
            "symbol": btc, "origClientOrderId": #""example-1""#, "side": #""BUY""#,
            "quantity": #""0.020""#, "price": #""30100.0""#,
        ],
        "ws_futures_get_open_orders": ["symbol": btc],
        "ws_futures_get_all_orders": ["symbol": btc, "limit": "10"],
        "ws_futures_cancel_order": ["symbol": btc, "origClientOrderId": #""example-1""#],
        "ws_futures_cancel_algo_order": ["clientAlgoId": #""example-algo-1""#],
        "ws_futures_cancel_orders": ["symbol": btc, "origClientOrderIdList": #"["example-1","example-2"]"#],
        "ws_futures_cancel_all_open_orders": ["symbol": btc],
    ]

    private static let btc = #""BTCUSDT""#

    /// The example body as one line of JSON (also valid YAML).
    public static func body(_ call: String) -> String? {
        arguments[call].map { "{" + $0.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}" }
    }

    /// The example value of one parameter, as JSON text.
    public static func value(_ call: String, _ parameter: String) -> String? {
        arguments[call]?.first { $0.key == parameter }?.value
    }
}
