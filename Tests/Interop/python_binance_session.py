#!/usr/bin/env python3
"""Drives the simulator with python-binance's own ws_futures_* calls (its signing, its framing)
and prints what came back as one JSON object. Usage: python_binance_session.py URL API_KEY SECRET"""
import json
import os
import sys

from binance.client import Client
from binance.exceptions import BinanceAPIException


def client(url, key, secret):
    made = Client(key, secret, ping=False)
    made.ws_future._url = url  # the documented override: connect lazily to this URL
    return made


def main():
    url, key, secret = sys.argv[1:4]
    c = client(url, key, secret)
    out = {
        "depth": c.ws_futures_get_order_book(symbol="BTCUSDT", limit=5),
        "tickers": c.ws_futures_get_all_tickers(),
        "book_ticker": c.ws_futures_get_order_book_ticker(symbol="BTCUSDT"),
    }
    placed = c.ws_futures_create_order(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                                       quantity="0.010", price="30000.00")
    out["place"] = placed
    out["status"] = c.ws_futures_get_order(symbol="BTCUSDT", orderId=placed["orderId"])
    out["edit"] = c.ws_futures_edit_order(symbol="BTCUSDT", orderId=placed["orderId"], side="BUY",
                                          quantity="0.020", price="30000.10")
    out["cancel"] = c.ws_futures_cancel_order(symbol="BTCUSDT", orderId=placed["orderId"])
    out["market"] = c.ws_futures_create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.005",
                                              newOrderRespType="RESULT")
    # Conditional orders: python-binance's algo calls, and its routing of a conditional create_order.
    out["algo"] = c.ws_futures_create_algo_order(symbol="BTCUSDT", side="SELL", type="STOP_MARKET", algoType="CONDITIONAL",
                                                 triggerPrice="30000.00", quantity="0.005", reduceOnly="true")
    out["algo_cancel"] = c.ws_futures_cancel_algo_order(algoId=out["algo"]["algoId"])
    out["conditional"] = c.ws_futures_create_order(symbol="BTCUSDT", side="SELL", type="STOP_MARKET",
                                                   stopPrice="30000.00", quantity="0.005")
    out["conditional_cancel"] = c.ws_futures_cancel_order(symbol="BTCUSDT", algoId=out["conditional"]["algoId"])
    out["balance"] = c.ws_futures_account_balance()
    out["v2_balance"] = c.ws_futures_v2_account_balance()
    out["position"] = c.ws_futures_account_position(symbol="BTCUSDT")
    out["v2_position"] = c.ws_futures_v2_account_position()
    out["account_status"] = c.ws_futures_account_status()
    out["v2_account_status"] = c.ws_futures_v2_account_status()
    try:
        client(url, key, "not-the-secret").ws_futures_account_balance()
        out["wrong_secret"] = "accepted"
    except BinanceAPIException as error:
        out["wrong_secret"] = {"code": error.code, "status": error.status_code, "msg": error.message}
    print(json.dumps(out), flush=True)
    os._exit(0)  # python-binance keeps its WebSocket loop alive; the answers are out


if __name__ == "__main__":
    main()
