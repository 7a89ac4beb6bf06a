"""Opens a page in headless Chromium and drives it over the DevTools protocol.

Usage: browser_page.py CHROMIUM URL WIDTH SCREENSHOT.png [SCRIPT.js] [--full-page] [--header NAME:VALUE]

The window is WIDTH CSS pixels wide (a phone's layout below 600). Once the page has loaded,
SCRIPT.js (an expression, usually an async arrow function called at once) runs in the page and
its awaited value is printed as JSON on standard output; then the screenshot is written (the
viewport, or the whole page with --full-page). --header adds a header to every request the page
makes, the page itself included (as a browser extension would). Everything is bounded: 90 s in all."""
import base64
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from websockets.sync.client import connect

DEADLINE = time.monotonic() + 90


class Page:
    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=max(1, DEADLINE - time.monotonic())))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError("the script failed: " + json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")


def devtools_port(process):
    """The port Chromium prints as 'DevTools listening on ws://127.0.0.1:PORT/...'."""
    found = {}

    def read():
        for line in process.stderr:
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                found["port"] = int(match.group(1))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=30)
    if "port" not in found:
        sys.exit("Chromium did not open its DevTools port")
    return found["port"]


def main():
    arguments = sys.argv[1:]
    full_page = "--full-page" in arguments
    headers = {}
    while "--header" in arguments:
        index = arguments.index("--header")
        name, _, value = arguments[index + 1].partition(":")
        headers[name.strip()] = value.strip()
        del arguments[index:index + 2]
    arguments = [a for a in arguments if a != "--full-page"]
    if len(arguments) < 4:
        sys.exit(__doc__)
    chromium, url, width, screenshot = arguments[:4]
    width = int(width)
    script = open(arguments[4], encoding="utf-8").read() if len(arguments) > 4 else "null"
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    process = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--no-first-run", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", f"--window-size={width},900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = devtools_port(process)
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        address = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
        with connect(address, max_size=None, open_timeout=10) as socket:
            page = Page(socket)
            page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                      mobile=width < 600)
            page.call("Page.enable")
            if headers:
                page.call("Network.enable")
                page.call("Network.setExtraHTTPHeaders", headers=headers)
            page.call("Page.navigate", url=url)
            while page.evaluate("document.readyState") != "complete":
                if time.monotonic() > DEADLINE:
                    sys.exit("the page did not load")
                time.sleep(0.1)
            value = page.evaluate(script)
            shot = {"format": "png"}
            if full_page:
                size = page.call("Page.getLayoutMetrics")["cssContentSize"]
                shot.update(captureBeyondViewport=True,
                            clip={"x": 0, "y": 0, "width": width, "height": min(size["height"], 6000), "scale": 1})
            data = page.call("Page.captureScreenshot", **shot)["data"]
            with open(screenshot, "wb") as file:
                file.write(base64.b64decode(data))
            print(json.dumps(value))
    finally:
        process.kill()
        process.wait()


if __name__ == "__main__":
    main()
