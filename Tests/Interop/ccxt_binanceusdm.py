#!/usr/bin/env python3
"""Drives the simulator's REST API with ccxt's binanceusdm (its signing, its request building, its
parsers into unified structures) and prints one JSON object: each call's outcome under "calls"
("ok" or the exception) and the figures the Swift test checks for consistency under "checks".

ccxt's URLs are pointed at the simulator; `fetchCurrencies` is off, so load_markets with keys does
not ask the spot wallet's /sapi/v1/capital/config/getall, which the simulator does not serve.
Usage: ccxt_binanceusdm.py HTTP_BASE API_KEY SECRET   (HTTP_BASE like http://127.0.0.1:PORT)"""
import sys
from urllib.parse import urlsplit

import ccxt
from call_report import CallReport


def exchange(base, key, secret):
    made = ccxt.binanceusdm({"apiKey": key, "secret": secret, "enableRateLimit": False,
                             "options": {"fetchCurrencies": False, "adjustForTimeDifference": False}})
    for name, url in list(made.urls["api"].items()):
        if isinstance(url, str):
            made.urls["api"][name] = base + urlsplit(url).path
    return made


def main():
    base, key, secret = sys.argv[1:4]
    ex = exchange(base, key, secret)
    report = CallReport()
    call, checks = report.call, report.checks

    symbol = "BTC/USDT:USDT"
    markets = call("load_markets", ex.load_markets)
    checks["markets"] = sorted(markets.keys()) if markets else []
    book = call("fetch_order_book", lambda: ex.fetch_order_book(symbol, 5))
    if book:
        checks["book"] = {"bids": len(book["bids"]), "asks": len(book["asks"]),
                          "crossed": book["bids"][0][0] >= book["asks"][0][0]}
    ticker = call("fetch_ticker", lambda: ex.fetch_ticker(symbol))
    checks["ticker_last"] = ticker and ticker["last"]
    tickers = call("fetch_tickers", ex.fetch_tickers)
    checks["tickers"] = sorted(tickers.keys()) if tickers else []
    candles = call("fetch_ohlcv", lambda: ex.fetch_ohlcv(symbol, "1m", limit=5))
    checks["ohlcv"] = len(candles or [])
    trades = call("fetch_trades", lambda: ex.fetch_trades(symbol, limit=5))
    checks["trades"] = len(trades or [])
    funding = call("fetch_funding_rate", lambda: ex.fetch_funding_rate(symbol))
    checks["funding_rate"] = funding and funding["fundingRate"]
    checks["next_funding"] = funding and funding["fundingTimestamp"]

    before = call("fetch_balance_before", ex.fetch_balance)
    checks["usdt_before"] = before and before["USDT"]["total"]
    call("set_leverage", lambda: ex.set_leverage(10, symbol))
    call("set_margin_mode", lambda: ex.set_margin_mode("isolated", "ETH/USDT:USDT"))

    market = call("create_order_market", lambda: ex.create_order(symbol, "market", "buy", 0.01))
    filled = market and call("fetch_order_market", lambda: ex.fetch_order(market["id"], symbol))
    checks["market_order"] = filled and {"id": filled["id"], "status": filled["status"], "filled": filled["filled"],
                                         "average": filled["average"]}
    after = call("fetch_balance", ex.fetch_balance)
    checks["usdt_after"] = after and after["USDT"]["total"]
    checks["usdt_used"] = after and after["USDT"]["used"]
    positions = call("fetch_positions", lambda: ex.fetch_positions([symbol]))
    checks["positions"] = [{"symbol": p["symbol"], "side": p["side"], "contracts": p["contracts"], "entryPrice": p["entryPrice"],
                            "leverage": p["leverage"]} for p in positions or []]
    mine = call("fetch_my_trades", lambda: ex.fetch_my_trades(symbol))
    checks["my_trades"] = [{"order": t["order"], "amount": t["amount"], "price": t["price"], "fee": t["fee"]["cost"]}
                           for t in mine or []]

    bid = book["bids"][0][0] if book else 40000
    limit = call("create_order_limit", lambda: ex.create_order(symbol, "limit", "buy", 0.01, round(bid * 0.9, 1)))
    edited = limit and call("edit_order", lambda: ex.edit_order(limit["id"], symbol, "limit", "buy", 0.02, round(bid * 0.91, 1)))
    checks["edited"] = edited and {"id": edited["id"], "amount": edited["amount"], "price": edited["price"]}
    fetched = limit and call("fetch_order", lambda: ex.fetch_order(limit["id"], symbol))
    checks["fetched"] = fetched and {"status": fetched["status"], "amount": fetched["amount"], "price": fetched["price"]}
    stop = call("create_order_stop_market", lambda: ex.create_order(
        symbol, "market", "sell", 0.01, None, {"stopPrice": round(bid * 0.8, 1), "reduceOnly": True}))
    take = call("create_order_take_profit", lambda: ex.create_order(
        symbol, "market", "sell", 0.01, None, {"takeProfitPrice": round(bid * 1.2, 1), "reduceOnly": True}))
    checks["trigger_orders"] = [o and o.get("id") for o in (stop, take)]
    second = call("create_order_limit_second", lambda: ex.create_order(symbol, "limit", "buy", 0.01, round(bid * 0.85, 1)))
    batch = call("create_orders", lambda: ex.create_orders([
        {"symbol": symbol, "type": "limit", "side": "buy", "amount": 0.01, "price": round(bid * 0.8, 1)},
        {"symbol": symbol, "type": "limit", "side": "buy", "amount": 0.01, "price": round(bid * 0.81, 1)},
    ]))
    batch_ids = [o["id"] for o in batch or []]
    edited_batch = batch and call("edit_orders", lambda: ex.edit_orders([
        {"id": batch_ids[0], "symbol": symbol, "type": "limit", "side": "buy", "amount": 0.03, "price": round(bid * 0.8, 1)},
    ]))
    checks["batch"] = {"ids": batch_ids, "edited": [o["amount"] for o in edited_batch or []]}
    open_orders = call("fetch_open_orders", lambda: ex.fetch_open_orders(symbol))
    checks["open_orders"] = sorted(o["id"] for o in open_orders or [])
    checks["limit_ids"] = sorted([o["id"] for o in (limit, second) if o] + batch_ids)
    canceled = limit and call("cancel_order", lambda: ex.cancel_order(limit["id"], symbol))
    checks["canceled"] = canceled and canceled["status"]
    call("cancel_all_orders", lambda: ex.cancel_all_orders(symbol))
    remaining = call("fetch_open_orders_after_cancel", lambda: ex.fetch_open_orders(symbol))
    checks["open_after_cancel"] = len(remaining or [])

    report.print()


if __name__ == "__main__":
    main()
