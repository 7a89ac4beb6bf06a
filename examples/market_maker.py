#!/usr/bin/env python3
"""A market-making loop over futures-gateway, in Python with only the standard library.

Every round it reads the top of the local order book (GET /v1/book: the gateway keeps the book
from the depth stream, so a read costs no exchange weight), cancels the previous quotes, and
quotes one BUY at the best bid and one SELL at the best ask (with --tick, one tick inside when the
spread is wider than two ticks). Prices stay decimals: no float ever touches a price.

    futures-gateway serve --book BTCUSDT        # or --simulate: the built-in paper exchange
    python3 examples/market_maker.py --rounds 10

Each order carries an Idempotency-Key, so a request retried after a lost answer is never placed
twice. The quotes are cancelled when the loop ends (Ctrl-C included).
"""

import argparse
import http.client
import json
import sys
import time
import uuid
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

# The exchange's code for a post-only (GTX) order that would have taken liquidity.
POST_ONLY_REJECTED = -5022


class Gateway:
    """A keep-alive JSON client of the gateway's local HTTP API."""

    def __init__(self, url, token=None, timeout=10):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token
        self.timeout = timeout
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers, parsed JSON body); reconnects once if the connection was closed."""
        payload = None if body is None else json.dumps(body).encode()
        all_headers = {"Accept": "application/json"}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        all_headers.update(headers or {})
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=payload, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, dict(response.getheaders()), json.loads(data) if data else None
            except (ConnectionError, http.client.RemoteDisconnected, http.client.CannotSendRequest):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise

    def book(self, symbol, limit=5, wait=10.0):
        """The top of the local book; waits (as Retry-After says) while the gateway syncs it."""
        deadline = time.monotonic() + wait
        while True:
            status, headers, body = self.request("GET", "/v1/book?" + urlencode({"symbol": symbol, "limit": limit}))
            if status == 200:
                return body
            if status != 503 or time.monotonic() > deadline:
                raise RuntimeError(f"/v1/book: {status} {body}")
            time.sleep(min(float(headers.get("Retry-After", "1")), 1.0))

    def call(self, name, parameters, idempotency_key=None):
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        status, _, body = self.request("POST", "/v1/" + name, parameters, headers)
        if status != 200:
            raise CallRefused(name, status, body)
        return body


class CallRefused(RuntimeError):
    def __init__(self, name, status, body):
        super().__init__(f"{name}: {status} {body}")
        self.code = (body or {}).get("code")


def quotes(book, tick=None):
    """(buy price, sell price) as strings: join the top, or step one tick inside a wide spread."""
    best_bid, best_ask = book["bids"][0][0], book["asks"][0][0]
    if tick is None:
        return best_bid, best_ask
    bid, ask = Decimal(best_bid), Decimal(best_ask)
    if ask - bid > 2 * tick:
        bid, ask = bid + tick, ask - tick
    return str(bid), str(ask)


def run(gateway, symbol, quantity, rounds, interval, tick=None):
    placed = 0
    try:
        for round_number in range(1, rounds + 1):
            book = gateway.book(symbol)
            if not book["bids"] or not book["asks"]:
                print(f"round {round_number}: one side of the book is empty; waiting", flush=True)
                time.sleep(interval)
                continue
            buy, sell = quotes(book, tick)
            gateway.call("ws_futures_cancel_all_open_orders", {"symbol": symbol})
            for side, price in (("BUY", buy), ("SELL", sell)):
                try:
                    order = gateway.call(
                        "ws_futures_create_order",
                        {"symbol": symbol, "side": side, "type": "LIMIT", "timeInForce": "GTX",
                         "quantity": quantity, "price": price},
                        idempotency_key=str(uuid.uuid4()))
                except CallRefused as refusal:
                    if refusal.code != POST_ONLY_REJECTED:
                        raise
                    # The market moved since the read: the quote would have crossed. Next round.
                    print(f"round {round_number}: {side} {quantity} @ {price} -> not placed (would cross)",
                          flush=True)
                    continue
                placed += 1
                print(f"round {round_number}: {side} {quantity} @ {price} -> {order.get('status')} "
                      f"(book {book['lastUpdateId']}, age {book['age_ms']} ms)", flush=True)
            time.sleep(interval)
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        gateway.call("ws_futures_cancel_all_open_orders", {"symbol": symbol})
        print(f"placed {placed} orders; open orders cancelled", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080", help="the gateway's URL")
    parser.add_argument("--symbol", default="BTCUSDT")
    parser.add_argument("--quantity", default="0.005", help="order quantity, as the exchange writes it (notional ≥ 100 USDT)")
    parser.add_argument("--rounds", type=int, default=10, help="quote updates before stopping")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
    parser.add_argument("--tick", type=Decimal, help="the symbol's price tick (e.g. 0.1); quotes then step inside wide spreads")
    parser.add_argument("--token-file", help="a file holding the gateway's bearer token, if it requires one")
    arguments = parser.parse_args()
    token = open(arguments.token_file).read().strip() if arguments.token_file else None
    gateway = Gateway(arguments.gateway, token)
    try:
        run(gateway, arguments.symbol, arguments.quantity, arguments.rounds, arguments.interval, arguments.tick)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
