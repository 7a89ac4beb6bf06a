#!/usr/bin/env python3
"""A WebSocket server we did not write (the `websockets` package) that answers like
Binance's ws-fapi, for interop and fault tests of the gateway's upstream client.

Each text frame {"id", "method", "params"} gets {"id", "status": 200, "result": {...}}.
Flags switch on the behaviours under test. Prints `listening PORT` once ready.
The method `fixture.stats` answers with what the fixture has seen.
"""
import argparse
import asyncio
import base64
import json
import signal
import ssl
import sys
import time
from http import HTTPStatus

from websockets.asyncio.server import serve

stats = {"connections": 0, "requests": 0, "pongs": 0, "methods": [], "refused": 0}
silent_since = None


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--fragment", action="store_true", help="send every answer in three fragments")
    parser.add_argument("--ping-interval", type=float, default=0, help="send pings with a payload; count matching pongs")
    parser.add_argument("--close-after", type=int, default=0, help="close each connection after N requests")
    parser.add_argument("--close-code", type=int, default=1001)
    parser.add_argument("--silent-after", type=int, default=0,
                        help="on the first connection, after N requests stop reading: no answers, no pongs")
    parser.add_argument("--hold", type=int, default=0,
                        help="on the first connection, answer nothing; after N requests close it (1011)")
    parser.add_argument("--down-for", type=float, default=0,
                        help="after going silent, refuse handshakes with 503 for this many seconds")
    parser.add_argument("--oversize", type=int, default=0, help="pad every answer to this many bytes")
    parser.add_argument("--bad-accept", action="store_true", help="answer the handshake with a wrong accept value")
    return parser.parse_args()


async def pinger(ws, interval):
    count = 0
    while True:
        await asyncio.sleep(interval)
        count += 1
        waiter = await ws.ping(f"fixture-{count}".encode())
        await waiter  # resolves only on a pong echoing this payload
        stats["pongs"] += 1


async def handler(ws, args):
    stats["connections"] += 1
    connection = stats["connections"]
    tasks = [asyncio.create_task(pinger(ws, args.ping_interval))] if args.ping_interval else []
    handled = 0
    try:
        async for message in ws:
            request = json.loads(message)
            method = request.get("method")
            if method == "fixture.stats":
                await ws.send(json.dumps({"id": request["id"], "status": 200, "result": stats}))
                continue
            stats["requests"] += 1
            stats["methods"].append(method)
            handled += 1
            if args.hold and connection == 1:
                if handled >= args.hold:
                    await ws.close(code=1011, reason="fixture dropping held requests")
                    return
                continue
            if args.silent_after and connection == 1 and handled > args.silent_after:
                global silent_since
                silent_since = time.monotonic()
                ws.transport.pause_reading()  # nothing more is read: no answers, no pongs
                await asyncio.Event().wait()
            result = {"method": method, "params": request.get("params", {}), "connection": connection}
            if args.oversize:
                result["padding"] = "x" * args.oversize
            answer = json.dumps({"id": request["id"], "status": 200, "result": result, "rateLimits": []})
            if args.fragment:
                third = max(1, len(answer) // 3)
                await ws.send([answer[:third], answer[third:2 * third], answer[2 * third:]])
            else:
                await ws.send(answer)
            if args.close_after and handled >= args.close_after:
                await ws.close(code=args.close_code, reason="fixture closing")
                return
    finally:
        for task in tasks:
            task.cancel()


async def bad_accept(reader, writer):
    head = await reader.readuntil(b"\r\n\r\n")
    writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Accept: " + base64.b64encode(b"not the right value!") + b"\r\n\r\n")
    await writer.drain()
    await asyncio.sleep(1)
    writer.close()


async def main():
    args = parse_args()
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    if args.bad_accept:
        server = await asyncio.start_server(bad_accept, args.host, args.port)
    else:
        def refuse_while_down(connection, request):
            if args.down_for and silent_since is not None and time.monotonic() - silent_since < args.down_for:
                stats["refused"] += 1
                return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "fixture is down\n")
            return None

        server = await serve(lambda ws: handler(ws, args), args.host, args.port, ssl=context,
                             max_size=None, ping_interval=None, compression=None,
                             process_request=refuse_while_down)
    port = server.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    # A child of a test thread inherits its blocked signals; make SIGTERM and SIGINT work again.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
