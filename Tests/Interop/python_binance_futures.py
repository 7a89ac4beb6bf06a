#!/usr/bin/env python3
"""Drives the simulator's REST API with python-binance's REST `futures_*` calls only (its query
strings, its HMAC signatures, its batch-order encoding) and prints one JSON object: each call's
outcome under "calls" ("ok" or the exception) and figures for the Swift test under "checks".
Batch modification (PUT batchOrders) is left to the ccxt suite: python-binance signs the JSON
list as written but sends it form-encoded, so no server could accept its futures_v1_put_batch_orders.
Usage: python_binance_futures.py HTTP_BASE API_KEY SECRET   (HTTP_BASE like http://127.0.0.1:PORT)"""
import sys

from binance.client import Client
from call_report import CallReport


def client(base, key, secret):
    made = Client(key, secret, ping=False)
    made.FUTURES_URL = base + "/fapi"  # python-binance appends /v1/<path> (or /v2, /v3)
    return made


def main():
    base, key, secret = sys.argv[1:4]
    c = client(base, key, secret)
    report = CallReport()
    call, checks = report.call, report.checks

    s = "BTCUSDT"
    call("futures_ping", c.futures_ping)
    call("futures_time", c.futures_time)
    call("futures_exchange_info", c.futures_exchange_info)
    book = call("futures_order_book", lambda: c.futures_order_book(symbol=s, limit=5))
    call("futures_recent_trades", lambda: c.futures_recent_trades(symbol=s, limit=5))
    call("futures_historical_trades", lambda: c.futures_historical_trades(symbol=s, limit=5))
    call("futures_aggregate_trades", lambda: c.futures_aggregate_trades(symbol=s, limit=5))
    call("futures_klines", lambda: c.futures_klines(symbol=s, interval="1m", limit=3))
    call("futures_mark_price_klines", lambda: c.futures_mark_price_klines(symbol=s, interval="1m", limit=3))
    call("futures_index_price_klines", lambda: c.futures_index_price_klines(pair=s, interval="1m", limit=3))
    call("futures_premium_index_klines", lambda: c.futures_premium_index_klines(symbol=s, interval="1m", limit=3))
    call("futures_continuous_klines", lambda: c.futures_continuous_klines(
        pair=s, contractType="PERPETUAL", interval="1m", limit=3))
    premium = call("futures_mark_price", lambda: c.futures_mark_price(symbol=s))
    rates = call("futures_funding_rate", lambda: c.futures_funding_rate(symbol=s, limit=3))
    checks["funding_rates"] = len(rates or [])
    checks["next_funding_time"] = premium and premium["nextFundingTime"]
    call("futures_ticker", lambda: c.futures_ticker(symbol=s))
    tickers = call("futures_symbol_ticker", c.futures_symbol_ticker)
    checks["price_tickers"] = len(tickers or [])
    call("futures_orderbook_ticker", lambda: c.futures_orderbook_ticker(symbol=s))
    call("futures_open_interest", lambda: c.futures_open_interest(symbol=s))
    call("futures_commission_rate", lambda: c.futures_commission_rate(symbol=s))
    call("futures_leverage_bracket", lambda: c.futures_leverage_bracket(symbol=s))

    call("futures_get_position_mode", c.futures_get_position_mode)
    call("futures_change_position_mode", lambda: c.futures_change_position_mode(dualSidePosition="true"))
    mode = call("futures_get_position_mode_hedge", c.futures_get_position_mode)
    checks["hedge_mode"] = mode and mode["dualSidePosition"]
    call("futures_change_position_mode_back", lambda: c.futures_change_position_mode(dualSidePosition="false"))
    call("futures_get_multi_assets_mode", c.futures_get_multi_assets_mode)
    call("futures_change_multi_assets_mode", lambda: c.futures_change_multi_assets_mode(multiAssetsMargin=False))
    call("futures_change_leverage", lambda: c.futures_change_leverage(symbol=s, leverage=10))
    call("futures_change_margin_type", lambda: c.futures_change_margin_type(symbol="ETHUSDT", marginType="ISOLATED"))

    bid = float(book["bids"][0][0]) if book else 40000.0
    low = f"{bid * 0.9:.1f}"
    limit = call("futures_create_order", lambda: c.futures_create_order(
        symbol=s, side="BUY", type="LIMIT", timeInForce="GTC", quantity="0.010", price=low))
    oid = limit and limit["orderId"]
    call("futures_get_order", lambda: c.futures_get_order(symbol=s, orderId=oid))
    modified = call("futures_modify_order", lambda: c.futures_modify_order(
        symbol=s, orderId=oid, side="BUY", quantity="0.020", price=low))
    checks["modified_qty"] = modified and modified["origQty"]
    call("futures_v1_get_open_order", lambda: c.futures_v1_get_open_order(symbol=s, orderId=oid))
    call("futures_create_test_order", lambda: c.futures_create_test_order(
        symbol=s, side="BUY", type="LIMIT", timeInForce="GTC", quantity="0.010", price=low))
    batch = call("futures_place_batch_order", lambda: c.futures_place_batch_order(batchOrders=[
        {"symbol": s, "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.010", "price": f"{bid * 0.8:.1f}"},
        {"symbol": s, "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.010", "price": f"{bid * 0.81:.1f}"},
    ]))
    batch_ids = [o.get("orderId") for o in batch or []]
    checks["batch"] = [o.get("status") for o in batch or []]
    opened = call("futures_get_open_orders", lambda: c.futures_get_open_orders(symbol=s))
    checks["open_orders"] = len(opened or [])
    call("futures_cancel_order", lambda: c.futures_cancel_order(symbol=s, orderId=oid))
    call("futures_cancel_orders", lambda: c.futures_cancel_orders(symbol=s, orderidlist=batch_ids[:1]))
    call("futures_cancel_all_open_orders", lambda: c.futures_cancel_all_open_orders(symbol=s))
    call("futures_countdown_cancel_all", lambda: c.futures_countdown_cancel_all(symbol=s, countdownTime=60000))
    call("futures_get_all_orders", lambda: c.futures_get_all_orders(symbol=s))

    market = call("futures_create_order_market", lambda: c.futures_create_order(
        symbol=s, side="BUY", type="MARKET", quantity="0.010", newOrderRespType="RESULT"))
    checks["market"] = market and {"orderId": market["orderId"], "status": market["status"]}
    trades = call("futures_account_trades", lambda: c.futures_account_trades(symbol=s))
    checks["trade_orders"] = [t["orderId"] for t in trades or []]
    income = call("futures_income_history", lambda: c.futures_income_history(symbol=s))
    checks["income_types"] = sorted({i["incomeType"] for i in income or []})
    positions = call("futures_position_information", lambda: c.futures_position_information(symbol=s))
    checks["position_amt"] = positions and positions[0]["positionAmt"]
    call("futures_account", c.futures_account)
    balance = call("futures_account_balance", c.futures_account_balance)
    checks["balance_assets"] = [b["asset"] for b in balance or []]

    stop = call("futures_create_algo_order", lambda: c.futures_create_algo_order(
        symbol=s, side="SELL", type="STOP_MARKET", algoType="CONDITIONAL", quantity="0.010",
        triggerPrice=f"{bid * 0.7:.1f}", reduceOnly="true"))
    algo_id = stop and stop["algoId"]
    call("futures_get_algo_order", lambda: c.futures_get_algo_order(algoId=algo_id))
    algos = call("futures_get_open_algo_orders", lambda: c.futures_get_open_algo_orders(symbol=s))
    checks["open_algos"] = len(algos or [])
    call("futures_get_all_algo_orders", lambda: c.futures_get_all_algo_orders(symbol=s))
    call("futures_cancel_algo_order", lambda: c.futures_cancel_algo_order(algoId=algo_id))
    call("futures_cancel_all_algo_open_orders", lambda: c.futures_cancel_all_algo_open_orders(symbol=s))

    listen_key = call("futures_stream_get_listen_key", c.futures_stream_get_listen_key)
    checks["listen_key_length"] = len(listen_key or "")
    call("futures_stream_keepalive", lambda: c.futures_stream_keepalive(listenKey=listen_key))
    call("futures_stream_close", lambda: c.futures_stream_close(listenKey=listen_key))

    report.print()


if __name__ == "__main__":
    main()
