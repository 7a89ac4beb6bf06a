"""Places, queries and cancels orders through the gateway with a client that
openapi-python-client generated from openapi.yaml (scripts/conformance generates it into a
temporary directory and puts that directory on sys.path).

Usage: python_client_check.py BASE_URL
Prints one line per step and exits non-zero on the first surprise.
"""

import sys

from futures_gateway_client import Client
from futures_gateway_client.api.orders import (
    ws_futures_cancel_order,
    ws_futures_create_order,
    ws_futures_get_order,
)
from futures_gateway_client.models import (
    AlgoOrder,
    AlgoOrderCancel,
    ErrorBody,
    Order,
    WsFuturesCancelOrderBody,
    WsFuturesCreateOrderBody,
    WsFuturesCreateOrderBodySide,
    WsFuturesCreateOrderBodyTimeInForce,
    WsFuturesCreateOrderBodyType,
    WsFuturesGetOrderBody,
)


def expect(condition, message):
    if not condition:
        sys.exit(f"python client: {message}")


def answer(response, kind, step):
    """The parsed 200 body of the expected model, or exit with what came instead."""
    parsed = response.parsed
    if response.status_code != 200 or not isinstance(parsed, kind):
        sys.exit(f"python client: {step}: HTTP {response.status_code}, {response.content!r}")
    return parsed


def main():
    client = Client(base_url=sys.argv[1], raise_on_unexpected_status=True)

    # A LIMIT order well below the market rests on the book.
    placed = answer(ws_futures_create_order.sync_detailed(client=client, body=WsFuturesCreateOrderBody(
        symbol="BTCUSDT", side=WsFuturesCreateOrderBodySide.BUY, type_=WsFuturesCreateOrderBodyType.LIMIT,
        time_in_force=WsFuturesCreateOrderBodyTimeInForce.GTC, quantity="0.010", price="30000.0",
        new_client_order_id="py-client-1")), Order, "place")
    expect(placed.client_order_id == "py-client-1" and placed.status == "NEW", f"placed {placed.to_dict()}")
    expect(isinstance(placed.order_id, int), "orderId is not an integer")
    print(f"python client: placed order {placed.order_id} ({placed.status}, price {placed.price})")

    queried = answer(ws_futures_get_order.sync_detailed(client=client, body=WsFuturesGetOrderBody(
        symbol="BTCUSDT", order_id=placed.order_id)), Order, "query")
    expect(queried.order_id == placed.order_id and queried.status == "NEW", f"queried {queried.to_dict()}")
    print(f"python client: queried order {queried.order_id}: {queried.status}")

    canceled = answer(ws_futures_cancel_order.sync_detailed(client=client, body=WsFuturesCancelOrderBody(
        symbol="BTCUSDT", orig_client_order_id="py-client-1")), Order, "cancel")
    expect(canceled.status == "CANCELED", f"canceled {canceled.to_dict()}")
    print(f"python client: cancelled order {canceled.order_id}: {canceled.status}")

    # The same call with a conditional type answers the other branch of its oneOf: an algo order.
    algo = answer(ws_futures_create_order.sync_detailed(client=client, body=WsFuturesCreateOrderBody(
        symbol="BTCUSDT", side=WsFuturesCreateOrderBodySide.BUY, type_=WsFuturesCreateOrderBodyType.STOP_MARKET,
        quantity="0.010", stop_price="90000.0", new_client_order_id="py-client-algo-1")), AlgoOrder, "place algo")
    expect(algo.client_algo_id == "py-client-algo-1", f"algo {algo.to_dict()}")
    print(f"python client: placed algo order {algo.algo_id} ({algo.algo_status})")
    algo_canceled = answer(ws_futures_cancel_order.sync_detailed(client=client, body=WsFuturesCancelOrderBody(
        client_algo_id="py-client-algo-1")), AlgoOrderCancel, "cancel algo")
    expect(algo_canceled.algo_id == algo.algo_id, f"algo cancel {algo_canceled.to_dict()}")
    print(f"python client: cancelled algo order {algo_canceled.algo_id}: {algo_canceled.msg}")

    # A refusal decodes as the documented error model.
    refused = ws_futures_get_order.sync_detailed(client=client, body=WsFuturesGetOrderBody(
        symbol="BTCUSDT", orig_client_order_id="py-client-unknown"))
    expect(refused.status_code == 400 and isinstance(refused.parsed, ErrorBody), f"unknown order: {refused.content!r}")
    print(f"python client: unknown order refused: {refused.parsed.code} {refused.parsed.msg}")


if __name__ == "__main__":
    main()
