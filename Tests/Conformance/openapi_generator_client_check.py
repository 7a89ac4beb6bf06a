"""Places, queries and cancels an order through the gateway with the Python client that
openapi-generator (`-g python`) generated from openapi.yaml (scripts/conformance generates it
into a temporary directory and puts that directory on sys.path).

Decimals go as plain strings (`quantity="0.010"`), as a user would write them: the spec types
them as strings, so the client takes them without a wrapper.

Usage: openapi_generator_client_check.py BASE_URL
Prints one line per step and exits non-zero on the first surprise.
"""

import sys

from gateway_openapi_client import ApiClient, Configuration
from gateway_openapi_client.api.orders_api import OrdersApi
from gateway_openapi_client.exceptions import ApiException
from gateway_openapi_client.models import (
    AlgoOrder,
    ErrorBody,
    Int64Param,
    Order,
    WsFuturesCancelOrderRequest,
    WsFuturesCreateOrderRequest,
    WsFuturesGetOrderRequest,
)


def expect(condition, message):
    if not condition:
        sys.exit(f"openapi-generator python client: {message}")


def main():
    orders = OrdersApi(ApiClient(Configuration(host=sys.argv[1])))

    # A LIMIT order well below the market rests on the book.
    placed = orders.ws_futures_create_order(ws_futures_create_order_request=WsFuturesCreateOrderRequest(
        symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity="0.010", price="30000.0",
        new_client_order_id="oag-client-1")).actual_instance
    expect(isinstance(placed, Order), f"placing answered {placed!r}")
    expect(placed.client_order_id == "oag-client-1" and placed.status == "NEW", f"placed {placed.to_dict()}")
    expect(placed.orig_qty == "0.010", f"origQty {placed.orig_qty!r}, not the digits sent")
    print(f"openapi-generator python client: placed order {placed.order_id} ({placed.status}, qty {placed.orig_qty})")

    queried = orders.ws_futures_get_order(ws_futures_get_order_request=WsFuturesGetOrderRequest(
        symbol="BTCUSDT", order_id=Int64Param(placed.order_id)))
    expect(queried.order_id == placed.order_id and queried.status == "NEW", f"queried {queried.to_dict()}")
    print(f"openapi-generator python client: queried order {queried.order_id}: {queried.status}")

    canceled = orders.ws_futures_cancel_order(ws_futures_cancel_order_request=WsFuturesCancelOrderRequest(
        symbol="BTCUSDT", orig_client_order_id="oag-client-1")).actual_instance
    expect(isinstance(canceled, Order) and canceled.status == "CANCELED", f"canceled {canceled!r}")
    print(f"openapi-generator python client: cancelled order {canceled.order_id}: {canceled.status}")

    # A conditional type answers the other branch of the placement's oneOf: an algo order.
    algo = orders.ws_futures_create_order(ws_futures_create_order_request=WsFuturesCreateOrderRequest(
        symbol="BTCUSDT", side="BUY", type="STOP_MARKET", quantity="0.010", stop_price="90000.0",
        new_client_order_id="oag-client-algo-1")).actual_instance
    expect(isinstance(algo, AlgoOrder) and algo.client_algo_id == "oag-client-algo-1", f"algo {algo!r}")
    print(f"openapi-generator python client: placed algo order {algo.algo_id} ({algo.algo_status})")

    # A refusal raises with the documented error model.
    try:
        orders.ws_futures_get_order(ws_futures_get_order_request=WsFuturesGetOrderRequest(symbol="BTCUSDT", orig_client_order_id="oag-unknown"))
        sys.exit("openapi-generator python client: an unknown order was found")
    except ApiException as refused:
        expect(refused.status == 400 and isinstance(refused.data, ErrorBody), f"unknown order: {refused}")
        print(f"openapi-generator python client: unknown order refused: {refused.data.code} {refused.data.msg}")


if __name__ == "__main__":
    main()
