#!/usr/bin/env python3
"""Drives the simulator's REST API with python-binance's own futures_* calls (its signing, its
query strings) and prints what came back as one JSON object, each call under its own name.
Orders and the position are opened over the WebSocket API (the simulator has no REST order entry).
Usage: python_binance_rest.py WS_URL API_KEY SECRET   (WS_URL like ws://127.0.0.1:PORT/ws-fapi/v1)"""
import json
import os
import sys
from urllib.parse import quote

from binance.client import Client
from binance.exceptions import BinanceAPIException


def client(ws_url, key, secret):
    made = Client(key, secret, ping=False)
    made.ws_future._url = ws_url
    host = ws_url.split("//", 1)[1].split("/", 1)[0]
    made.FUTURES_URL = f"http://{host}/fapi"  # python-binance appends /v1/<path>
    return made


def attempt(out, name, call):
    """One call's answer, or its BinanceAPIException as {"error": {...}} so later calls still run."""
    try:
        out[name] = call()
    except BinanceAPIException as error:
        out[name] = {"error": {"code": error.code, "status": error.status_code, "msg": error.message}}
    return out[name]


def main():
    ws_url, key, secret = sys.argv[1:4]
    c = client(ws_url, key, secret)
    out = {}
    attempt(out, "time", c.futures_time)
    attempt(out, "exchange_info", c.futures_exchange_info)
    attempt(out, "recent_trades", lambda: c.futures_recent_trades(symbol="BTCUSDT", limit=5))
    attempt(out, "historical_trades", lambda: c.futures_historical_trades(symbol="BTCUSDT", limit=5))
    attempt(out, "aggregate_trades", lambda: c.futures_aggregate_trades(symbol="BTCUSDT", limit=5))
    attempt(out, "klines", lambda: c.futures_klines(symbol="BTCUSDT", interval="1m", limit=3))
    attempt(out, "continuous_klines", lambda: c.futures_continuous_klines(
        pair="BTCUSDT", contractType="PERPETUAL", interval="1m", limit=3))
    attempt(out, "index_price_klines", lambda: c.futures_index_price_klines(pair="BTCUSDT", interval="1m", limit=3))
    attempt(out, "mark_price_klines", lambda: c.futures_mark_price_klines(symbol="BTCUSDT", interval="1m", limit=3))
    attempt(out, "premium_index_klines", lambda: c.futures_premium_index_klines(symbol="BTCUSDT", interval="1m", limit=3))

    attempt(out, "change_leverage", lambda: c.futures_change_leverage(symbol="ETHUSDT", leverage=10))
    # Three resting bids far below the book, then the order queries and both batch cancels.
    ids = [c.ws_futures_create_order(symbol="ETHUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                                     quantity="0.100", price=price)["orderId"]
           for price in ("1000.00", "1001.00", "1002.00")]
    out["placed_ids"] = ids
    attempt(out, "open_orders", lambda: c.futures_get_open_orders(symbol="ETHUSDT"))
    # The exchange's parameter name with the JSON array percent-encoded by the caller, as users do:
    # python-binance signs the text as given, and urllib3 would escape a bare `[`/`]` after signing.
    attempt(out, "cancel_orders", lambda: c.futures_cancel_orders(
        symbol="ETHUSDT", orderIdList=quote(json.dumps(ids[:2]).replace(" ", ""))))
    attempt(out, "cancel_all_open_orders", lambda: c.futures_cancel_all_open_orders(symbol="ETHUSDT"))
    attempt(out, "all_orders", lambda: c.futures_get_all_orders(symbol="ETHUSDT"))

    # Isolated margin: switch with no orders or position, open a position, then add margin to it.
    attempt(out, "change_margin_type", lambda: c.futures_change_margin_type(symbol="ETHUSDT", marginType="ISOLATED"))
    out["market"] = c.ws_futures_create_order(symbol="ETHUSDT", side="BUY", type="MARKET", quantity="0.010",
                                              newOrderRespType="RESULT")
    attempt(out, "change_position_margin", lambda: c.futures_change_position_margin(
        symbol="ETHUSDT", amount="5", type=1))
    attempt(out, "account_trades", lambda: c.futures_account_trades(symbol="ETHUSDT"))

    # python-binance's own list conversion for the batch cancel (lower-case `orderidlist`).
    more = [c.ws_futures_create_order(symbol="ETHUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                                      quantity="0.100", price="1003.00")["orderId"]]
    out["more_ids"] = more
    attempt(out, "cancel_orders_lowercase", lambda: c.futures_cancel_orders(symbol="ETHUSDT", orderidlist=more))

    try:
        client(ws_url, key, "not-the-secret").futures_account_trades(symbol="ETHUSDT")
        out["wrong_secret"] = "accepted"
    except BinanceAPIException as error:
        out["wrong_secret"] = {"code": error.code, "status": error.status_code, "msg": error.message}
    print(json.dumps(out), flush=True)
    os._exit(0)  # python-binance keeps its WebSocket loop alive; the answers are out


if __name__ == "__main__":
    main()
