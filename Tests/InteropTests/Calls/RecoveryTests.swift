import Foundation
import Simulator
import TestSupport
import Testing

/// How fast the gateway is back after the upstream drops or goes away: a connection that
/// answered proves the upstream healthy, so the next one is opened at once; an upstream that
/// returns is in use within a second; meanwhile a request that cannot be sent is told so
/// within `connectWait`, not after the whole request timeout.
@Suite(.serialized) struct RecoveryTests {
    @Test func theGatewayReconnectsAtOnceAfterConnectionsThatAnswered() async throws {
        let venue = try Venue()
        let client = try venue.client()
        // Each connection answers one request and dies on the next, which is retried on a new one.
        venue.faults.replace(with: SimulatorFaults(dropAfter: 1))
        let started = ContinuousClock.now
        for index in 0..<16 {
            let response = try client.request("GET", CallSamples.depth)
            #expect(response.status == 200, "request \(index): \(response.body)")
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(await venue.gateway.status().reconnects >= 15)
        await venue.stop()
    }

    @Test func aReturningUpstreamIsInUseWithinASecond() async throws {
        let venue = try Venue()
        let client = try venue.client()
        venue.faults.replace(with: SimulatorFaults(dropAfter: 0, refuseHandshakes: true))
        _ = try? client.request("GET", CallSamples.depth)  // the connection dies under it; new ones are refused
        #expect(eventually(.seconds(5)) { (try? venue.client().request("GET", "/readyz").status) == 503 })
        // Several refused connects in a row: the backoff is at its cap.
        let refusedSince = ContinuousClock.now
        let notSent = try venue.client().request("POST", "/v1/ws_futures_create_order", body: CallSamples.order)
        #expect(ContinuousClock.now - refusedSince < .seconds(2), "answered within connectWait, not the 5 s timeout")
        #expect(notSent.status == 503 && notSent.headers["x-gateway-outcome"] == "not-sent", "\(notSent.body)")
        usleep(3_000_000)
        venue.faults.replace(with: SimulatorFaults())
        let returned = ContinuousClock.now
        #expect(
            eventually(.seconds(5)) {
                (try? venue.client().request("GET", "/readyz").status) == 200
            })
        let recovery = ContinuousClock.now - returned
        #expect(recovery < .milliseconds(1200), "ready \(recovery) after the upstream returned")
        #expect(venue.journal.webSocketRequests(method: "order.place").isEmpty)
        await venue.stop()
    }
}
