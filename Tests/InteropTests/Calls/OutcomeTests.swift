import Foundation
import Simulator
import TestSupport
import Testing

/// Every answer to a state-changing call says what happened (`X-Gateway-Outcome`, and
/// `"outcome"` in an error body), and when no answer says, the gateway looks it up first:
/// for orders, cancels, modifications, algo orders and the REST settings alike. Against the
/// simulator through real sockets, with its faults standing in for lost answers and edge pages.
@Suite(.serialized) struct OutcomeTests {
    static let order = CallSamples.order

    private func object(_ body: String) -> [String: Any] { CallSamples.object(body) }

    /// Places the sample order and returns its orderId.
    private func place(_ client: GatewayClient) throws -> Int {
        let placed = try client.request("POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(placed.status == 200, "\(placed.body)")
        return try #require(object(placed.body)["orderId"] as? Int)
    }

    @Test func everyAnswerToAStateChangingCallSaysItsOutcome() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let placed = try client.request("POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(placed.status == 200 && placed.headers["x-gateway-outcome"] == "applied")
        let refused = try client.request(
            "POST", "/v1/ws_futures_create_order",
            body: Self.order.replacingOccurrences(of: "0.010", with: "0"))
        #expect(refused.status == 400 && refused.headers["x-gateway-outcome"] == "rejected")
        #expect(
            object(refused.body)["outcome"] as? String == "rejected" && object(refused.body)["code"] as? Int == -4003)
        let invalid = try client.request("POST", "/v1/ws_futures_create_order", body: #"{"symbol":"BTCUSDT"}"#)
        #expect(invalid.status == 400 && invalid.headers["x-gateway-outcome"] == "not-sent")
        #expect(object(invalid.body)["outcome"] as? String == "not-sent" && invalid.headers["x-request-id"] != nil)
        let read = try client.request("GET", CallSamples.depth)
        #expect(read.status == 200 && read.headers["x-gateway-outcome"] == nil)
        await venue.stop()
    }

    @Test func aCancelExecutedBeforeTheConnectionDiedIsFoundApplied() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let orderId = try place(client)
        venue.faults.replace(with: SimulatorFaults(dropAfterExecuting: 1))
        let cancelled = try client.request(
            "POST", "/v1/ws_futures_cancel_order", body: #"{"symbol":"BTCUSDT","orderId":\#(orderId)}"#)
        #expect(cancelled.status == 200, "\(cancelled.body)")
        #expect(
            cancelled.headers["x-gateway-outcome"] == "applied"
                && cancelled.headers["x-gateway-reconciled"] == "applied")
        #expect(object(cancelled.body)["status"] as? String == "CANCELED")
        #expect(venue.journal.webSocketRequests(method: "order.cancel").count == 1)
        #expect(venue.journal.webSocketRequests(method: "order.status").count == 1)
        await venue.stop()
    }

    @Test func aModificationLostWithTheConnectionIsNotAppliedAndSafeToRetry() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let orderId = try place(client)
        venue.faults.replace(with: SimulatorFaults(dropAfter: 1))
        let modify = #"{"symbol":"BTCUSDT","side":"BUY","quantity":"0.010","price":"30100.0","orderId":\#(orderId)}"#
        let lost = try client.request(
            "POST", "/v1/ws_futures_modify_order", body: modify, headers: ["Idempotency-Key": "modify-1"])
        #expect(lost.status == 502, "\(lost.body)")
        #expect(
            lost.headers["x-gateway-outcome"] == "not-sent" && lost.headers["x-gateway-reconciled"] == "not-applied")
        #expect(object(lost.body)["code"] as? Int == 502 && object(lost.body)["outcome"] as? String == "not-sent")
        #expect((object(lost.body)["msg"] as? String)?.contains("not modified") == true, "\(lost.body)")
        venue.faults.replace(with: SimulatorFaults())
        let retried = try client.request(
            "POST", "/v1/ws_futures_modify_order", body: modify, headers: ["Idempotency-Key": "modify-1"])
        #expect(retried.status == 200 && retried.headers["x-gateway-outcome"] == "applied", "\(retried.body)")
        #expect(object(retried.body)["price"] as? String == "30100.00")
        await venue.stop()
    }

    @Test func anAlgoOrderExecutedBeforeTheConnectionDiedIsFoundOverREST() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(dropAfterExecuting: 1))
        #expect(try client.request("GET", CallSamples.depth).status == 200)
        let stop = #"{"symbol":"BTCUSDT","side":"BUY","type":"STOP_MARKET","quantity":"0.010","stopPrice":"90000"}"#
        let response = try client.request(
            "POST", "/v1/ws_futures_create_order", body: stop, headers: ["Idempotency-Key": "stop-1"])
        #expect(response.status == 200, "\(response.body)")
        #expect(
            response.headers["x-gateway-outcome"] == "applied" && response.headers["x-gateway-reconciled"] == "applied")
        #expect(object(response.body)["clientAlgoId"] as? String == "stop-1")
        #expect(venue.journal.restRequests(path: "/fapi/v1/algoOrder").first?.param("clientAlgoId") == "stop-1")
        #expect(venue.journal.webSocketRequests(method: "algoOrder.place").count == 1)
        await venue.stop()
    }

    @Test func aLeverageChangeBehindAnEdgeErrorPageIsFoundApplied() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(pageFor: ["/fapi/v1/leverage": .init(status: 502, executes: true)]))
        let response = try client.request(
            "POST", "/v1/ws_futures_change_leverage", body: #"{"symbol":"BTCUSDT","leverage":7}"#)
        #expect(response.status == 200, "\(response.body)")
        #expect(response.headers["content-type"] == "application/json")
        #expect(
            response.headers["x-gateway-outcome"] == "applied" && response.headers["x-gateway-reconciled"] == "applied")
        #expect(object(response.body)["leverage"] as? Int == 7)
        #expect(venue.journal.webSocketRequests(method: "account.position").count == 1)
        await venue.stop()
    }

    @Test func marginTypeAndBatchCancelsBehindErrorPagesAreLookedUp() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(
            with: SimulatorFaults(pageFor: ["/fapi/v1/marginType": .init(status: 504, executes: true)]))
        let margin = try client.request(
            "POST", "/v1/ws_futures_change_margin_type", body: #"{"symbol":"ETHUSDT","marginType":"ISOLATED"}"#)
        #expect(margin.status == 200 && margin.headers["x-gateway-outcome"] == "applied", "\(margin.body)")
        venue.faults.replace(with: SimulatorFaults())
        let ids = [try place(client), try place(client)]
        venue.faults.replace(
            with: SimulatorFaults(pageFor: ["/fapi/v1/batchOrders": .init(status: 503, executes: true)]))
        let batch = try client.request(
            "POST", "/v1/ws_futures_cancel_orders",
            body: #"{"symbol":"BTCUSDT","orderIdList":[\#(ids[0]),\#(ids[1])]}"#)
        #expect(batch.status == 200 && batch.headers["x-gateway-outcome"] == "applied", "\(batch.body)")
        let cancelled = (try? JSONSerialization.jsonObject(with: Data(batch.body.utf8))) as? [[String: Any]]
        #expect(
            cancelled?.map { $0["orderId"] as? Int } == ids
                && cancelled?.allSatisfy { $0["status"] as? String == "CANCELED" } == true)
        await venue.stop()
    }

    @Test func aPositionMarginChangeBehindAnErrorPageIsFoundInTheHistory() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let isolated = try client.request(
            "POST", "/v1/ws_futures_change_margin_type", body: #"{"symbol":"ETHUSDT","marginType":"ISOLATED"}"#)
        #expect(isolated.status == 200, "\(isolated.body)")
        let opened = try client.request(
            "POST", "/v1/ws_futures_create_order",
            body: #"{"symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"0.100"}"#)
        #expect(opened.status == 200, "\(opened.body)")
        venue.faults.replace(
            with: SimulatorFaults(pageFor: ["/fapi/v1/positionMargin": .init(status: 502, executes: true)]))
        let added = try client.request(
            "POST", "/v1/ws_futures_change_position_margin", body: #"{"symbol":"ETHUSDT","amount":"5","type":1}"#)
        #expect(added.status == 200 && added.headers["x-gateway-outcome"] == "applied", "\(added.body)")
        #expect(added.headers["x-gateway-reconciled"] == "applied")
        #expect(venue.journal.restRequests(path: "/fapi/v1/positionMargin/history").first?.param("type") == "1")
        // Not executed behind the page: the history shows nothing, which after a 5xx proves nothing.
        venue.faults.replace(with: SimulatorFaults(pageFor: ["/fapi/v1/positionMargin": .init(status: 502)]))
        let unknown = try client.request(
            "POST", "/v1/ws_futures_change_position_margin", body: #"{"symbol":"ETHUSDT","amount":"7","type":1}"#)
        #expect(unknown.status == 502 && unknown.headers["x-gateway-outcome"] == "unknown", "\(unknown.body)")
        #expect(unknown.headers["x-gateway-reconciled"] == "undetermined")
        await venue.stop()
    }

    @Test func aNonJSONPageBecomesTheGatewaysJSONErrorWithTheUpstreamStatus() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let orderId = try place(client)
        venue.faults.replace(
            with: SimulatorFaults(pageFor: [
                "/fapi/v1/openOrders": .init(status: 403),
                "/fapi/v1/allOpenOrders": .init(status: 503),
            ]))
        let waf = try client.request("GET", "/v1/ws_futures_get_open_orders?symbol=BTCUSDT")
        #expect(waf.status == 403 && waf.headers["content-type"] == "application/json")
        #expect(waf.headers["x-upstream-status"] == "403")
        #expect(object(waf.body)["code"] as? Int == 403, "\(waf.body)")
        #expect((object(waf.body)["msg"] as? String)?.hasSuffix("403 Error") == true, "\(waf.body)")
        #expect(!waf.headers.values.contains { $0.contains("Error") || $0.contains("<") })
        // A 503 page on a cancel-all: looked up, but after a 5xx "still open" proves nothing.
        let unknown = try client.request(
            "POST", "/v1/ws_futures_cancel_all_open_orders", body: #"{"symbol":"BTCUSDT"}"#)
        #expect(unknown.status == 503 && unknown.headers["x-upstream-status"] == "503", "\(unknown.body)")
        #expect(
            unknown.headers["x-gateway-outcome"] == "unknown"
                && unknown.headers["x-gateway-reconciled"] == "undetermined")
        #expect(
            object(unknown.body)["code"] as? Int == -1001 && object(unknown.body)["outcome"] as? String == "unknown")
        #expect(venue.journal.restRequests(path: "/fapi/v1/openOrders").count == 2)
        #expect(orderId > 0)
        await venue.stop()
    }

    @Test func binances503IsLookedUpWhileTheGatewaysNotSentHasItsOwnCode() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let busy = SimulatorFaults.ErrorAnswer(
            status: 503, code: -1001, msg: "Internal error; unable to process your request.",
            executes: true)
        venue.faults.replace(with: SimulatorFaults(errorFor: ["order.place": busy]))
        let placed = try client.request("POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(placed.status == 200 && placed.headers["x-gateway-outcome"] == "applied", "\(placed.body)")
        #expect(placed.headers["x-gateway-reconciled"] == "applied")
        var notExecuted = busy
        notExecuted.executes = false
        venue.faults.replace(with: SimulatorFaults(errorFor: ["order.place": notExecuted]))
        let unknown = try client.request("POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(unknown.status == 503 && object(unknown.body)["code"] as? Int == -1001, "\(unknown.body)")
        #expect(
            unknown.headers["x-gateway-outcome"] == "unknown" && object(unknown.body)["outcome"] as? String == "unknown"
        )
        #expect(venue.journal.webSocketRequests(method: "order.status").count == 2)
        await venue.stop()

        // No upstream at all: the gateway's own "not sent", within --connect-wait, not the request timeout.
        let gateway = try GatewayUnderTest(
            upstreamURL: "ws://127.0.0.1:9/ws-fapi/v1", credentials: venue.gateway.upstreams.credentials)
        let started = ContinuousClock.now
        let notSent = try GatewayClient(port: gateway.port).request(
            "POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(notSent.status == 503 && object(notSent.body)["code"] as? Int == 503, "\(notSent.body)")
        #expect(
            notSent.headers["x-gateway-outcome"] == "not-sent"
                && object(notSent.body)["outcome"] as? String == "not-sent")
        await gateway.stop()
    }

    @Test func aReplayedAnswerCarriesTheRetrysRequestId() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let first = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "replay-id", "X-Request-Id": "first-request"])
        let second = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "replay-id", "X-Request-Id": "second-request"])
        #expect(first.headers["x-request-id"] == "first-request")
        #expect(second.headers["idempotent-replayed"] == "true" && second.headers["x-request-id"] == "second-request")
        let conflict = try client.request(
            "POST", "/v1/ws_futures_create_order",
            body: Self.order.replacingOccurrences(
                of: "30000.0", with: "30001.0"),
            headers: ["Idempotency-Key": "replay-id", "X-Request-Id": "third-request"])
        #expect(conflict.status == 422 && conflict.headers["x-request-id"] == "third-request")
        let unknownPath = try client.request(
            "POST", "/v1/ws_futures_no_such_call", body: "{}", headers: ["X-Request-Id": "fourth"])
        #expect(unknownPath.status == 404 && unknownPath.headers["x-request-id"] == "fourth")
        let fresh = try client.request("GET", "/v1/no-such-path")
        #expect(fresh.status == 404 && fresh.headers["x-request-id"]?.utf8.count == 16)
        await venue.stop()
    }
}
