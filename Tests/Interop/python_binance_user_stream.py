#!/usr/bin/env python3
"""python-binance's own futures user data socket (BinanceSocketManager.futures_user_socket: it
takes a listen key over REST, connects to <FSTREAM_URL>private/ws?listenKey=…, keeps the key
alive) against the simulator: places a MARKET order over REST and prints the event types and
the executions it received, as one JSON object.
Usage: python_binance_user_stream.py HTTP_BASE API_KEY SECRET   (HTTP_BASE like http://127.0.0.1:PORT)"""
import asyncio
import json
import sys

from binance import AsyncClient, BinanceSocketManager


async def main():
    base, key, secret = sys.argv[1:4]
    client = AsyncClient(key, secret)  # AsyncClient.create would ping the real exchange
    client.FUTURES_URL = base + "/fapi"
    manager = BinanceSocketManager(client)
    manager.FSTREAM_URL = base.replace("http://", "ws://", 1) + "/"
    events = []
    try:
        async with manager.futures_user_socket() as stream:
            # The stream follows the account once the server has run its open handler.
            await asyncio.sleep(0.3)
            order = await client.futures_create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.010")
            while not any(e.get("e") == "ACCOUNT_UPDATE" for e in events):
                events.append(await asyncio.wait_for(stream.recv(), 10))
    finally:
        await client.close_connection()
    print(json.dumps({
        "orderId": order["orderId"],
        "types": [e.get("e") for e in events],
        "executions": [e["o"]["x"] for e in events if e.get("e") == "ORDER_TRADE_UPDATE" and e["o"]["i"] == order["orderId"]],
        "position": [p["pa"] for e in events if e.get("e") == "ACCOUNT_UPDATE" for p in e["a"]["P"]],
    }))


asyncio.run(main())
