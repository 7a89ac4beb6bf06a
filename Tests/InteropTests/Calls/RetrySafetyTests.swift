import Foundation
import Simulator
import TestSupport
import Testing

/// What a client may retry, and what the gateway keeps from being sent: the hold after an
/// upstream 429, the local limits on the pass-through, and `Idempotency-Key`s that are free
/// again once an answer proves that nothing happened. Against the simulator, through sockets.
@Suite(.serialized) struct RetrySafetyTests {
    static let order = CallSamples.order
    static let depth = CallSamples.depth

    private func object(_ body: String) -> [String: Any] { CallSamples.object(body) }

    @Test func anUpstream429HoldsRequestWeightTrafficUntilTheWindowEnds() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let tooMany = SimulatorFaults.ErrorAnswer(
            status: 429, code: -1003, msg: "Too many requests; current limit is 2400 requests per minute.")
        venue.faults.replace(with: SimulatorFaults(errorFor: ["depth": tooMany]))
        let upstream = try client.request("GET", Self.depth)
        #expect(upstream.status == 429)
        #expect(object(upstream.body)["msg"] as? String == tooMany.msg, "the upstream's own refusal: \(upstream.body)")
        venue.faults.replace(with: SimulatorFaults())

        // The upstream would answer now, but the gateway holds the kind until the window ends.
        let held = try client.request("GET", Self.depth)
        #expect(held.status == 429)
        #expect(object(held.body)["code"] as? Int == -1003)
        #expect((object(held.body)["msg"] as? String)?.contains("held after an upstream 429") == true, "\(held.body)")
        #expect(Int(held.headers["retry-after"] ?? "") ?? 0 >= 1)
        let otherCall = try client.request("GET", "/v1/ws_futures_get_order_book_ticker?symbol=BTCUSDT")
        #expect(otherCall.status == 429, "every REQUEST_WEIGHT call is held: \(otherCall.body)")
        #expect(venue.journal.webSocketRequests(method: "depth").count == 1)
        #expect(venue.journal.webSocketRequests(method: "ticker.book").isEmpty)
        await venue.stop()
    }

    @Test func passThroughCallsCountOnTheLocalLimits() async throws {
        let venue = try Venue(weightLimit: 20)
        let client = try venue.client()
        #expect(venue.gatewayKnowsWeightLimit(20))
        let (answered, refusal) = try client.untilRefused(attempts: 60) {
            try $0.request("POST", "/v1/call/depth", body: #"{"symbol":"BTCUSDT","limit":5}"#)
        }
        let refused = try #require(refusal, "the pass-through was never limited")
        #expect(refused.status == 429)
        #expect(
            (object(refused.body)["msg"] as? String)?.hasPrefix("local REQUEST_WEIGHT limit") == true, "\(refused.body)"
        )
        #expect(refused.headers["x-request-id"] != nil)
        #expect(venue.journal.webSocketRequests(method: "depth").count == answered)
        await venue.stop()
    }

    @Test func anIdempotencyKeyIsFreeAgainAfterTheExchangeRefusedTheOrder() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let noMargin = SimulatorFaults.ErrorAnswer(status: 400, code: -2019, msg: "Margin is insufficient.")
        venue.faults.replace(with: SimulatorFaults(errorFor: ["order.place": noMargin]))
        let refused = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "after-margin-call"])
        #expect(refused.status == 400)
        #expect(object(refused.body)["code"] as? Int == -2019)
        venue.faults.replace(with: SimulatorFaults())

        // The refusal proved nothing was placed: the same key places the order now.
        let retried = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "after-margin-call"])
        #expect(retried.status == 200, "\(retried.body)")
        #expect(retried.headers["idempotent-replayed"] == nil)
        #expect(object(retried.body)["clientOrderId"] as? String == "after-margin-call")
        // And that answer is the one kept.
        let replayed = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "after-margin-call"])
        #expect(replayed.status == 200 && replayed.body == retried.body)
        #expect(replayed.headers["idempotent-replayed"] == "true")
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 2)
        await venue.stop()
    }
}
