#!/usr/bin/env python3
"""python-binance's own futures stream sockets (BinanceSocketManager, pointed straight at the
simulator by overriding FSTREAM_URL) receive the simulator's market streams on the routed paths,
and the user socket its events; every frame received is then validated against asyncapi.yaml.

Opens: futures_depth_socket (public, @depth10), symbol_ticker_futures_socket (public,
@bookTicker), aggtrade_futures_socket and symbol_mark_price_socket (market), two
futures_multiplex_socket (public: diff depth and !bookTicker; market: kline and !markPrice@arr@1s)
and futures_user_socket; places one MARKET order over REST; prints one JSON object: per socket the
streams (or event types) received, and the asyncapi check's verdict on every frame.
Usage: python_binance_streams.py HTTP_BASE API_KEY SECRET ASYNCAPI_YAML"""
import asyncio
import json
import os
import subprocess
import sys
import tempfile

from binance import AsyncClient, BinanceSocketManager

WANTED = 3  # frames per socket; the aggTrade socket: the order's first fill; the user socket: until its ACCOUNT_UPDATE


async def collect(name, socket, frames, done):
    received = []
    async with socket as stream:
        done[name] = received
        wanted = 1 if name == "aggTrade" else WANTED
        while len(received) < wanted or (name == "user" and not any(f.get("e") == "ACCOUNT_UPDATE" for f in received)):
            frame = await asyncio.wait_for(stream.recv(), 15)
            received.append(frame)
            frames.append((name, frame))


async def main():
    base, key, secret, contract = sys.argv[1:5]
    client = AsyncClient(key, secret)  # AsyncClient.create would ping the real exchange
    client.FUTURES_URL = base + "/fapi"
    manager = BinanceSocketManager(client)
    manager.FSTREAM_URL = base.replace("http://", "ws://", 1) + "/"
    sockets = {
        "depth10": manager.futures_depth_socket("BTCUSDT", depth="10"),
        "bookTicker": manager.symbol_ticker_futures_socket("BTCUSDT"),
        "aggTrade": manager.aggtrade_futures_socket("BTCUSDT"),
        "markPrice": manager.symbol_mark_price_socket("BTCUSDT", fast=True),
        "publicMultiplex": manager.futures_multiplex_socket(["btcusdt@depth@100ms", "!bookTicker"], category="public"),
        "marketMultiplex": manager.futures_multiplex_socket(["ethusdt@kline_1m", "!markPrice@arr@1s"]),
        "user": manager.futures_user_socket(),
    }
    frames, done = [], {}
    tasks = [asyncio.create_task(collect(name, socket, frames, done)) for name, socket in sockets.items()]
    errors = {}
    try:
        while len(done) < len(sockets) and not any(t.done() for t in tasks):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # the servers run their open handlers
        order = await client.futures_create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.010")
        results = await asyncio.gather(*tasks, return_exceptions=True)
        errors = {name: repr(r) for name, r in zip(sockets, results) if isinstance(r, BaseException)}
    finally:
        await client.close_connection()

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for name, frame in frames:
            schema = "UserEvent" if name == "user" else "CombinedFrame"
            out.write(json.dumps({"schema": schema, "frame": frame}) + "\n")
    check = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Conformance", "asyncapi_check.py")
    verdict = subprocess.run([sys.executable, check, contract, out.name], capture_output=True, text=True)
    os.unlink(out.name)
    print(json.dumps({
        "orderId": order["orderId"],
        "errors": errors,
        "streams": {
            name: sorted({f.get("e") if name == "user" else f.get("stream", "?") for n, f in frames if n == name})
            for name in sockets
        },
        "frames": len(frames),
        "asyncapi": {"status": verdict.returncode, "output": (verdict.stdout + verdict.stderr)[-3000:]},
    }))


asyncio.run(main())
