#!/usr/bin/env python3
"""A WebSocket client we did not write (the `websockets` package), plus raw-socket probes,
to test our WebSocket server. Usage: ws_client.py MODE PORT [ARG]. Prints one result line.

  echo N        send N ws-fapi requests, check each answer; prints `ok N`
  idle SECONDS  stay connected (the library answers pings), then one echo; prints `ok`
  await-close   wait for the server to close; prints `closed CODE`
  unmasked      raw socket: handshake, then an unmasked frame; prints `closed CODE`
  nokey         raw socket: upgrade request without Sec-WebSocket-Key; prints `STATUS BODY`
  badversion    raw socket: Sec-WebSocket-Version 8; prints `STATUS VERSION-HEADER`
  silent        raw socket: handshake, never answer pings; prints `eof PINGS` when dropped
"""
import asyncio
import base64
import json
import os
import socket
import struct
import sys

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


async def echo(url, count):
    async with connect(url, ping_interval=None) as ws:
        for i in range(count):
            await ws.send(json.dumps({"id": i, "method": "echo", "params": {"n": i, "s": "é"}}, separators=(",", ":")))
        for i in range(count):
            answer = json.loads(await ws.recv())
            expected = {"id": i, "status": 200, "result": {"n": i, "s": "é"}}
            if answer != expected:
                return f"mismatch {answer} != {expected}"
    return f"ok {count}"


async def idle(url, seconds):
    async with connect(url, ping_interval=None) as ws:
        await asyncio.sleep(seconds)
        await ws.send('{"id":1,"method":"echo","params":{}}')
        answer = json.loads(await ws.recv())
        return "ok" if answer == {"id": 1, "status": 200, "result": {}} else f"mismatch {answer}"


async def await_close(url):
    async with connect(url, ping_interval=None) as ws:
        try:
            while True:
                await ws.recv()
        except ConnectionClosed:
            pass
        return f"closed {ws.close_code}"


def raw_connect(port, headers):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    request = "GET /ws-fapi/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    sock.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return sock, head.decode(), rest


def read_all(sock, rest):
    data = rest
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def unmasked(port):
    key = base64.b64encode(os.urandom(16)).decode()
    sock, head, rest = raw_connect(port, ["Upgrade: websocket", "Connection: Upgrade",
                                          f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"])
    if not head.startswith("HTTP/1.1 101"):
        return f"no upgrade: {head}"
    sock.sendall(b"\x81\x02hi")  # FIN + text, mask bit clear
    frame = read_all(sock, rest)
    if len(frame) < 4 or frame[0] != 0x88:
        return f"no close frame: {frame!r}"
    return f"closed {struct.unpack('!H', frame[2:4])[0]}"


def nokey(port):
    sock, head, rest = raw_connect(port, ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"])
    status = head.split("\r\n")[0].split(" ")[1]
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    body = rest
    while len(body) < length:
        body += sock.recv(4096)
    return f"{status} {body.decode()}"


def badversion(port):
    key = base64.b64encode(os.urandom(16)).decode()
    sock, head, _ = raw_connect(port, ["Upgrade: websocket", "Connection: Upgrade",
                                       f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 8"])
    lines = head.split("\r\n")
    version = [line.partition(":")[2].strip() for line in lines[1:] if line.lower().startswith("sec-websocket-version:")]
    return f"{lines[0].split(' ')[1]} {','.join(version)}"


def silent(port):
    key = base64.b64encode(os.urandom(16)).decode()
    sock, head, rest = raw_connect(port, ["Upgrade: websocket", "Connection: Upgrade",
                                          f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"])
    if not head.startswith("HTTP/1.1 101"):
        return f"no upgrade: {head}"
    sock.settimeout(10)
    data = read_all(sock, rest)
    return f"eof {data.count(bytes([0x89, 0x00]))}"


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    url = f"ws://127.0.0.1:{port}/ws-fapi/v1"
    if mode == "echo":
        result = asyncio.run(echo(url, int(sys.argv[3])))
    elif mode == "idle":
        result = asyncio.run(idle(url, float(sys.argv[3])))
    elif mode == "await-close":
        result = asyncio.run(await_close(url))
    elif mode == "unmasked":
        result = unmasked(port)
    elif mode == "nokey":
        result = nokey(port)
    elif mode == "badversion":
        result = badversion(port)
    elif mode == "silent":
        result = silent(port)
    else:
        result = f"unknown mode {mode}"
    print(result, flush=True)


if __name__ == "__main__":
    main()
