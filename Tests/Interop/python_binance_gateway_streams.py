#!/usr/bin/env python3
"""python-binance 1.0.37's own stream clients pointed at the gateway (BinanceSocketManager with
FSTREAM_URL and FUTURES_URL overridden, as a user would): a futures symbol socket (book ticker,
public route), a combined multiplex socket (market route) and the futures user socket (local
listen key over REST, then private/ws?listenKey=…). An order placed through the gateway's
/v1/ws_futures_create_order must reach the user socket. Prints one JSON object.
Usage: python_binance_gateway_streams.py GATEWAY_BASE   (like http://127.0.0.1:PORT)"""
import asyncio
import json
import sys
import time
import urllib.request

from binance import AsyncClient, BinanceSocketManager


def place_order(base):
    body = json.dumps({"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"}).encode()
    request = urllib.request.Request(base + "/v1/ws_futures_create_order", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


async def first(stream, count=1):
    events = []
    while len(events) < count:
        events.append(await asyncio.wait_for(stream.recv(), 15))
    return events


async def main():
    base = sys.argv[1]
    client = AsyncClient("unused-key", "unused-secret")  # the gateway holds the credentials
    client.FUTURES_URL = base + "/fapi"
    manager = BinanceSocketManager(client)
    manager.FSTREAM_URL = base.replace("http://", "ws://", 1) + "/"
    report = {}
    try:
        async with manager.symbol_ticker_futures_socket("BTCUSDT") as stream:
            events = await first(stream)
            report["symbol"] = [e.get("stream") for e in events] + [e.get("data", {}).get("e") for e in events]
        async with manager.futures_multiplex_socket(["btcusdt@kline_1m", "btcusdt@markPrice@1s"]) as stream:
            seen = set()
            deadline = time.monotonic() + 20
            while len(seen) < 2 and time.monotonic() < deadline:
                event = await asyncio.wait_for(stream.recv(), 15)
                seen.add(event.get("stream"))
            report["multiplex"] = sorted(s for s in seen if s)
        async with manager.futures_user_socket() as stream:
            await asyncio.sleep(1.0)  # the gateway connects its user stream upstream on the first subscriber
            order = await asyncio.get_running_loop().run_in_executor(None, place_order, base)
            sent = time.monotonic()
            event = await asyncio.wait_for(stream.recv(), 10)
            report["user"] = {
                "type": event.get("e"),
                "orderId": event.get("o", {}).get("i"),
                "placed": order.get("orderId"),
                "seconds": round(time.monotonic() - sent, 3),
            }
    finally:
        await client.close_connection()
    print(json.dumps(report))


asyncio.run(main())
