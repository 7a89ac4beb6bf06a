"""Validates live traffic against openapi.yaml with openapi-core: every request and every answer,
exactly as they went over the wire.

  readme BASE_URL: each curl command of the README (between its calls markers), sent as curl
      would send it, in the README's order, to a gateway with the built-in simulator; each must
      be 200, and request and answer must both match the document.
  errors BASE_URL TOKEN_FILE: error answers from a gateway that requires a bearer token, has a
      small --max-body-size, and whose simulator answers `depth` with 403 and `ticker.price`
      with 500 (its fault flags): 401 without or with a wrong token, 413, the exchange's 403 and
      500 passed through, 403 for a page of another origin, 421 for a foreign Host, 415 for a
      form post, 400 for a missing parameter, 422 for a reused Idempotency-Key.

Usage: live_contract_check.py openapi.yaml README.md readme BASE_URL
       live_contract_check.py openapi.yaml README.md errors BASE_URL TOKEN_FILE
Prints one line per check and exits non-zero listing every mismatch.
"""

import pathlib
import shlex
import sys
from urllib.parse import urlsplit

import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse


def readme_commands(readme):
    text = pathlib.Path(readme).read_text()
    begin = text.index("<!-- calls:begin -->")
    end = text.index("<!-- calls:end -->")
    return [line for line in text[begin:end].splitlines() if line.startswith("curl ")]


def curl_request(command, base):
    """The request a README curl command sends (the options the README uses), aimed at `base`."""
    args = shlex.split(command)[1:]
    method, headers, body, url = "GET", {}, None, None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "-s":
            pass
        elif arg == "-X":
            index += 1
            method = args[index]
        elif arg == "-H":
            index += 1
            name, _, value = args[index].partition(":")
            headers[name.strip()] = value.strip()
        elif arg == "--json":
            index += 1
            method, body = "POST", args[index].encode()
            headers.setdefault("Content-Type", "application/json")
            headers.setdefault("Accept", "application/json")
        elif arg in ("-d", "--data"):
            index += 1
            method, body = ("POST" if method == "GET" else method), args[index].encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif arg.startswith("-"):
            raise SystemExit(f"live contract: the README command uses an option this check does not know: {arg}")
        else:
            url = arg
        index += 1
    parts = urlsplit(url if "://" in url else "http://" + url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return requests.Request(method, base + target, headers=headers, data=body)


class Checker:
    def __init__(self, spec_path, base):
        # The document names the default address; the gateways under test listen on free ports.
        document = yaml.safe_load(pathlib.Path(spec_path).read_text())
        document["servers"] = [{"url": base}]
        self.openapi = OpenAPI.from_dict(document)
        self.session = requests.Session()
        self.failures = []
        self.checked = 0

    def check(self, label, request, expected_status, request_is_valid=True):
        prepared = self.session.prepare_request(request)
        response = self.session.send(prepared, timeout=15)
        self.checked += 1
        problems = []
        if response.status_code != expected_status:
            problems.append(f"status {response.status_code}, expected {expected_status}: {response.text[:200]}")
        openapi_request = RequestsOpenAPIRequest(prepared)
        if request_is_valid:
            try:
                self.openapi.validate_request(openapi_request)
            except Exception as error:  # openapi-core raises one of several validation errors
                problems.append(f"request: {describe(error)}")
        try:
            self.openapi.validate_response(openapi_request, RequestsOpenAPIResponse(response))
        except Exception as error:
            problems.append(f"response {response.status_code}: {describe(error)}")
        if problems:
            self.failures.append(f"{label}: " + "; ".join(problems))
            print(f"live contract: FAIL {label}")
        else:
            print(f"live contract: {response.status_code} {label}")
        return response


def describe(error):
    causes = [str(error)]
    cause = error.__cause__
    while cause is not None:
        causes.append(str(cause))
        details = getattr(cause, "schema_errors", None)
        if details:
            causes += [f"{detail.message} at {list(detail.absolute_path)}" for detail in details]
        cause = cause.__cause__
    return " / ".join(causes)


def readme(spec, readme_path, base):
    checker = Checker(spec, base)
    for command in readme_commands(readme_path):
        checker.check(command, curl_request(command, base), 200)
    return checker


def errors(spec, base, token_file):
    token = pathlib.Path(token_file).read_text().strip()
    auth = {"Authorization": f"Bearer {token}"}
    json_headers = {**auth, "Content-Type": "application/json"}
    checker = Checker(spec, base)
    book = base + "/v1/ws_futures_get_order_book?symbol=BTCUSDT&limit=5"
    response = checker.check("no token", requests.Request("GET", book), 401)
    if response.headers.get("WWW-Authenticate") != "Bearer":
        checker.failures.append(f"no token: WWW-Authenticate {response.headers.get('WWW-Authenticate')!r}")
    checker.check("wrong token", requests.Request("GET", book, headers={"Authorization": "Bearer wrong"}), 401)
    checker.check("no token on a signed call", requests.Request(
        "POST", base + "/v1/ws_futures_account_balance", headers={"Content-Type": "application/json"}, data=b"{}"), 401)
    # A valid body padded past --max-body-size (4096): the request is the contract's, the answer 413.
    padded = b'{"symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.010"' + b" " * 8192 + b"}"
    checker.check("body over --max-body-size", requests.Request(
        "POST", base + "/v1/ws_futures_create_order", headers=json_headers, data=padded), 413)
    checker.check("the exchange's 403 passed through", requests.Request("GET", book, headers=auth), 403)
    checker.check("the exchange's 500 passed through", requests.Request(
        "GET", base + "/v1/ws_futures_get_all_tickers?symbol=BTCUSDT", headers=auth), 500)
    checker.check("a page of another origin", requests.Request(
        "GET", book, headers={**auth, "Origin": "http://attacker.example"}), 403)
    checker.check("a cross-site fetch", requests.Request(
        "GET", book, headers={**auth, "Sec-Fetch-Site": "cross-site"}), 403)
    checker.check("a Host that does not name the gateway", requests.Request(
        "GET", book, headers={**auth, "Host": "attacker.example"}), 421)
    # A form post: outside the contract's request bodies, so only the answer is validated.
    checker.check("a body that is not JSON", requests.Request(
        "POST", base + "/v1/ws_futures_account_balance",
        headers={**auth, "Content-Type": "application/x-www-form-urlencoded"}, data=b"symbol=BTCUSDT"), 415,
        request_is_valid=False)
    checker.check("a missing parameter (-1102)", requests.Request(
        "POST", base + "/v1/ws_futures_get_order", headers=json_headers, data=b'{"orderId": 1}'), 400,
        request_is_valid=False)
    order = b'{"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "quantity": "0.010", '
    key = {**json_headers, "Idempotency-Key": "conformance-key-1"}
    checker.check("an order with an Idempotency-Key", requests.Request(
        "POST", base + "/v1/ws_futures_create_order", headers=key, data=order + b'"price": "30000.0"}'), 200)
    checker.check("the same key with other parameters (422)", requests.Request(
        "POST", base + "/v1/ws_futures_create_order", headers=key, data=order + b'"price": "30001.0"}'), 422)
    return checker


def main():
    spec, readme_path, mode, base = sys.argv[1:5]
    checker = readme(spec, readme_path, base) if mode == "readme" else errors(spec, base, sys.argv[5])
    if checker.failures:
        sys.exit("live contract: openapi-core found answers or requests outside openapi.yaml:\n  "
                 + "\n  ".join(checker.failures))
    print(f"live contract: {checker.checked} {mode} exchanges validated against openapi.yaml")


if __name__ == "__main__":
    main()
