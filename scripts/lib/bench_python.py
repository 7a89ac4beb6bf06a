#!/usr/bin/env python3
"""scripts/bench, part 2: sequential per-call latency of python-binance's ws_futures_* calls
straight to the simulator, and of the same calls from http.client (keep-alive) through the
gateway. Prints one JSON line per run; with --samples DIR writes each run's samples (µs).

Usage: bench_python.py binance WS_URL KEY SECRET COUNT [--samples DIR]
       bench_python.py gateway HTTP_HOST:PORT COUNT [--samples DIR]"""
import http.client
import json
import os
import sys
import time

DEPTH = {"symbol": "BTCUSDT", "limit": 5}


def order(mid):
    # IOC a little under the market: a real placement with every check, which then expires,
    # so nothing rests on the book between calls. Inside the 5 % price band.
    price = f"{round(mid * 0.97, 1):.1f}"
    return {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC",
            "quantity": "0.010", "price": price}


def summary(name, samples, seconds):
    ordered = sorted(samples)

    def pct(p):
        return ordered[min(len(ordered) - 1, max(0, int(-(-p / 100 * len(ordered) // 1)) - 1))]

    return {"name": name, "count": len(ordered), "seconds": round(seconds, 2),
            "p50": round(pct(50), 1), "p90": round(pct(90), 1), "p99": round(pct(99), 1),
            "p999": round(pct(99.9), 1), "max": round(ordered[-1], 1),
            "mean": round(sum(ordered) / len(ordered), 1)}


def measure(name, count, call, samples_dir):
    for _ in range(max(50, count // 10)):  # warm-up
        call()
    samples = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - t0) / 1000)
    result = summary(name, samples, time.perf_counter() - started)
    if samples_dir:
        with open(os.path.join(samples_dir, name + ".txt"), "w") as out:
            out.write("\n".join(f"{s:.2f}" for s in samples) + "\n")
    print(json.dumps(result), flush=True)


def mid_of(book):
    return (float(book["bids"][0][0]) + float(book["asks"][0][0])) / 2


def run_binance(url, key, secret, count, samples_dir):
    from binance.client import Client
    client = Client(key, secret, ping=False)
    client.ws_future._url = url
    book = client.ws_futures_get_order_book(**DEPTH)
    params = order(mid_of(book))
    placed = client.ws_futures_create_order(**params)
    assert "orderId" in placed, placed
    measure("python-binance depth", count, lambda: client.ws_futures_get_order_book(**DEPTH), samples_dir)
    measure("python-binance order", count, lambda: client.ws_futures_create_order(**params), samples_dir)
    os._exit(0)  # python-binance keeps its WebSocket loop alive


def run_gateway(address, count, samples_dir):
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port))
    headers = {"Content-Type": "application/json"}

    def post(path, body):
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {data[:300]!r}")
        return data

    depth_body = json.dumps(DEPTH)
    book = json.loads(post("/v1/ws_futures_get_order_book", depth_body))
    order_body = json.dumps(order(mid_of(book)))
    post("/v1/ws_futures_create_order", order_body)
    # http.client's own cost is part of the figure, as python-binance's is of the other.
    measure("http.client depth", count, lambda: json.loads(post("/v1/ws_futures_get_order_book", depth_body)),
            samples_dir)
    measure("http.client order", count, lambda: json.loads(post("/v1/ws_futures_create_order", order_body)),
            samples_dir)


def main():
    args = sys.argv[1:]
    samples_dir = None
    if "--samples" in args:
        at = args.index("--samples")
        samples_dir = args[at + 1]
        del args[at:at + 2]
    if args[0] == "binance":
        run_binance(args[1], args[2], args[3], int(args[4]), samples_dir)
    else:
        run_gateway(args[1], int(args[2]), samples_dir)


if __name__ == "__main__":
    main()
