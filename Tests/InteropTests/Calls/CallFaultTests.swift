import Foundation
import OpenSSL
import Signing
import Simulator
import TestSupport
import Testing

/// The promises of the call catalog when things go wrong: the truth about an order after a
/// disconnect, recovery from clock skew, local rate limiting, idempotency, and refusals made
/// before anything is sent. Each against the simulator, through real sockets.
@Suite(.serialized) struct CallFaultTests {
    static let order = CallSamples.order
    static let depth = CallSamples.depth

    private func object(_ body: String) -> [String: Any] { CallSamples.object(body) }

    @Test func anOrderExecutedBeforeTheConnectionDiedIsReportedAsPlaced() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(dropAfterExecuting: 1))
        #expect(try client.request("GET", Self.depth).status == 200)
        let response = try client.request("POST", "/v1/ws_futures_create_order", body: Self.order)
        #expect(response.status == 200, "\(response.body)")
        #expect(response.headers["x-gateway-reconciled"] == "applied")
        #expect(response.headers["x-gateway-outcome"] == "applied")
        let clientOrderId = try #require(response.headers["x-client-order-id"])
        #expect(object(response.body)["clientOrderId"] as? String == clientOrderId)
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 1)
        #expect(
            venue.journal.webSocketRequests(method: "order.status").first?.param("origClientOrderId") == clientOrderId)
        await venue.stop()
    }

    @Test func anOrderLostWithTheConnectionIsReportedAsNotPlaced() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(dropAfter: 1))
        #expect(try client.request("GET", Self.depth).status == 200)
        let response = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "lost-order-1"])
        #expect(response.status == 502, "\(response.body)")
        #expect(object(response.body)["code"] as? Int == 502)
        #expect(object(response.body)["outcome"] as? String == "not-sent")
        #expect((object(response.body)["msg"] as? String)?.contains("not placed") == true)
        #expect(response.headers["x-gateway-reconciled"] == "not-applied")
        #expect(response.headers["x-client-order-id"] == "lost-order-1")
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 1)
        // "Not placed" is a proven no-op: the same key places the order on a retry.
        venue.faults.replace(with: SimulatorFaults())
        let retried = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "lost-order-1"])
        #expect(retried.status == 200, "\(retried.body)")
        #expect(retried.headers["idempotent-replayed"] == nil)
        #expect(object(retried.body)["clientOrderId"] as? String == "lost-order-1")
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 2)
        await venue.stop()
    }

    @Test func anAlgoOrderThatCannotBeLookedUpIsOutcomeUnknownAndNeverResent() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(
            with: SimulatorFaults(dropAfterExecuting: 1, pageFor: ["/fapi/v1/algoOrder": .init(status: 502)]))
        #expect(try client.request("GET", Self.depth).status == 200)
        let stop = #"{"symbol":"BTCUSDT","side":"BUY","type":"STOP_MARKET","quantity":"0.010","stopPrice":"90000"}"#
        let response = try client.request(
            "POST", "/v1/ws_futures_create_order", body: stop,
            headers: ["Idempotency-Key": "stop-1"])
        // The lookup was tried and answered with an error page: the truth is not known.
        #expect(response.status == 502, "\(response.body)")
        #expect(object(response.body)["code"] as? Int == -1001)
        #expect(
            response.headers["x-gateway-outcome"] == "unknown"
                && response.headers["x-gateway-reconciled"] == "undetermined")
        let message = try #require(object(response.body)["msg"] as? String)
        #expect(message.contains("outcome unknown") && message.contains("stop-1"), "\(message)")
        #expect(response.headers["x-client-order-id"] == "stop-1")
        #expect(venue.journal.restRequests(path: "/fapi/v1/algoOrder").count == 1)
        venue.faults.replace(with: SimulatorFaults())
        // Unknown is kept: a retry with the key gets the same answer, and nothing is sent again.
        let retried = try client.request(
            "POST", "/v1/ws_futures_create_order", body: stop,
            headers: ["Idempotency-Key": "stop-1"])
        #expect(retried.status == 502 && retried.body == response.body)
        #expect(retried.headers["idempotent-replayed"] == "true")
        #expect(venue.journal.webSocketRequests(method: "algoOrder.place").count == 1)
        await venue.stop()
    }

    @Test func aTimestampRejectedForClockSkewIsResyncedAndRetriedOnce() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(clockOffset: .seconds(30)))
        let timeRequests = venue.journal.restRequests(path: "/fapi/v1/time").count
        let response = try client.request("GET", "/v1/ws_futures_account_balance")
        #expect(response.status == 200, "\(response.body)")
        #expect(venue.journal.webSocketRequests(method: "account.balance").count == 2)
        #expect(venue.journal.restRequests(path: "/fapi/v1/time").count == timeRequests + 1)
        #expect(abs(venue.gateway.upstreams.clock.offsetMillis - 30_000) < 1_000)
        // In step now: the next signed call goes through at the first attempt.
        #expect(try client.request("GET", "/v1/ws_futures_account_balance").status == 200)
        #expect(venue.journal.webSocketRequests(method: "account.balance").count == 3)
        await venue.stop()
    }

    @Test func theLocalLimitAnswersBeforeTheUpstreamLimitIsReached() async throws {
        let venue = try Venue(weightLimit: 20)
        let client = try venue.client()
        // The limit is known from exchangeInfo before any call has been answered.
        #expect(venue.gatewayKnowsWeightLimit(20))
        let (answered, refusal) = try client.untilRefused(attempts: 40) { try $0.request("GET", Self.depth) }
        let refused = try #require(refusal, "the gateway never refused")
        #expect(refused.status == 429)
        #expect(object(refused.body)["code"] as? Int == -1003)
        #expect((object(refused.body)["msg"] as? String)?.hasPrefix("local REQUEST_WEIGHT limit") == true)
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        // Nothing was sent for the refused call, and the upstream never had to refuse one.
        #expect(venue.journal.webSocketRequests(method: "depth").count == answered)
        #expect(answered >= 5)
        await venue.stop()
    }

    @Test func anIdempotencyKeyPlacesOneOrderAndReplaysTheAnswer() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let first = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "retry-me"])
        let second = try client.request(
            "POST", "/v1/ws_futures_create_order", body: Self.order,
            headers: ["Idempotency-Key": "retry-me"])
        #expect(first.status == 200 && second.status == 200)
        #expect(second.body == first.body)
        #expect(second.headers["idempotent-replayed"] == "true")
        #expect(object(first.body)["clientOrderId"] as? String == "retry-me")
        #expect(venue.journal.webSocketRequests(method: "order.place").count == 1)
        let other = try client.request(
            "POST", "/v1/ws_futures_create_order",
            body: Self.order.replacingOccurrences(
                of: "30000.0", with: "30001.0"), headers: ["Idempotency-Key": "retry-me"])
        #expect(other.status == 422)
        await venue.stop()
    }

    @Test func badRequestsAreRefusedBeforeAnythingIsSent() async throws {
        let venue = try Venue()
        let client = try venue.client()
        let cases: [(String, String, String, Int, Int?)] = [
            ("POST", "/v1/ws_futures_no_such_call", "{}", 404, nil),
            ("GET", "/v1/ws_futures_create_order?symbol=BTCUSDT", "", 405, nil),
            ("POST", "/v1/ws_futures_get_order_book", "{}", 400, -1102),
            ("POST", "/v1/ws_futures_get_order_book", #"{"symbol":"BTCUSDT","depth":5}"#, 400, -1104),
            ("POST", "/v1/ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":"many"}"#, 400, -1100),
            (
                "POST", "/v1/ws_futures_create_order", #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","price":1e4}"#,
                400, -1100
            ),
            ("POST", "/v1/ws_futures_get_order", #"{"symbol":"BTCUSDT"}"#, 400, -1102),
            ("POST", "/v1/ws_futures_get_order", #"{"symbol":"BTCUSDT","orderId":1,"timestamp":1}"#, 400, -1104),
            ("POST", "/v1/ws_futures_get_order_book", "{not json", 400, -1100),
        ]
        for (method, path, body, status, code) in cases {
            let response = try client.request(method, path, body: body)
            #expect(response.status == status, "\(method) \(path) \(body) → \(response.status) \(response.body)")
            if let code { #expect(object(response.body)["code"] as? Int == code, "\(path) \(body): \(response.body)") }
            #expect(object(response.body)["msg"] is String)
        }
        #expect(venue.journal.webSocketRequests().isEmpty)
        await venue.stop()
    }

    @Test func signedCallsWithoutCredentialsAreRefused() async throws {
        let venue = try Venue(signs: false)
        let client = try venue.client()
        let response = try client.request("GET", "/v1/ws_futures_account_balance")
        #expect(response.status == 401)
        #expect(object(response.body)["code"] as? Int == -2015)
        #expect(try client.request("GET", Self.depth).status == 200)
        #expect(venue.journal.webSocketRequests(method: "account.balance").isEmpty)
        await venue.stop()
    }

    @Test func anEd25519KeyLogsTheSessionOnAndRequestsCarryNoSignature() async throws {
        let pem = try Shell.run("openssl genpkey -algorithm ed25519")
        let privateKey = try Ed25519PrivateKey(pem: pem)
        let credentials = Credentials(apiKey: "ed25519-test-key", key: .ed25519(privateKey))
        let venue = try Venue(
            credentials: credentials,
            extraKeys: SimulatorKeys(
                ["ed25519-test-key": .ed25519(try Ed25519PublicKey(pem: privateKey.publicKeyPEM))]))
        let client = try venue.client()
        #expect(eventually { venue.gateway.upstreams.session.isLoggedOn })
        let response = try client.request("GET", "/v1/ws_futures_account_balance")
        #expect(response.status == 200, "\(response.body)")
        let sent = try #require(venue.journal.webSocketRequests(method: "account.balance").first)
        #expect(sent.param("signature") == nil && sent.param("apiKey") == nil && sent.param("timestamp") != nil)
        #expect(venue.journal.webSocketRequests(method: "session.logon").count == 1)
        // REST cannot use the session: it is signed with the Ed25519 key itself.
        #expect(try client.request("GET", "/v1/ws_futures_get_open_orders?symbol=BTCUSDT").status == 200)
        await venue.stop()
    }
}
