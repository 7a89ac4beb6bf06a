import Foundation
import Pacing
import Signing
import Synchronization
import TestSupport
import Testing
import Upstream

/// The upstream misbehaves; the gateway's HTTP clients must each get exactly one true answer.
@Suite(.serialized) struct UpstreamFaultTests {
    /// The upstream closes with 100 requests pending. Each gets exactly one answer: read-only
    /// calls are retried on the next connection and succeed; state-changing calls get 502
    /// "outcome unknown", and the upstream never sees one of them twice.
    @Test func closeWithHundredPendingGivesEachExactlyOneAnswer() async throws {
        let fixture = try WebSocketFixture(["--hold", "100"])
        defer { fixture.stop() }
        // `order.place` is signed, so the gateway needs a key; the fixture checks no signatures.
        let gateway = try GatewayUnderTest(
            upstreamURL: fixture.url,
            credentials: Credentials(apiKey: "fixture", key: .hmac(secret: [1])))
        #expect(try eventually { try GatewayClient(port: gateway.port).request("GET", "/readyz").status == 200 })

        var clients: [(GatewayClient, stateChanging: Bool)] = []
        for index in 0..<100 {
            let client = try GatewayClient(port: gateway.port)
            let stateChanging = index.isMultiple(of: 2)
            try client.send(
                "POST", stateChanging ? "/v1/call/order.place" : "/v1/call/depth", body: #"{"tag":\#(index)}"#)
            clients.append((client, stateChanging))
        }
        for (index, (client, stateChanging)) in clients.enumerated() {
            let response = try client.receive()
            if stateChanging {
                #expect(response.status == 502, "request \(index)")
                // The pass-through cannot look an unnamed order up: its outcome stays unknown.
                #expect(
                    response.body
                        == #"{"code":-1001,"msg":"upstream disconnected; outcome unknown","outcome":"unknown"}"#)
            } else {
                #expect(response.status == 200, "request \(index)")
                let echoed = fixtureResult(response.body)
                #expect(
                    echoed.params["tag"] as? Int == index && echoed.connection == 2,
                    "request \(index): \(response.body)")
            }
        }
        let stats = try GatewayClient(port: gateway.port).request("POST", "/v1/call/fixture.stats", body: "{}")
        let seen = try #require(JSONSerialization.jsonObject(with: Data(stats.body.utf8)) as? [String: Any])
        let methods = try #require(seen["methods"] as? [String])
        #expect(methods.filter { $0 == "order.place" }.count == 50, "each state-changing request reached upstream once")
        #expect(methods.filter { $0 == "depth" }.count == 100, "each read-only request: once held, once retried")
        await gateway.stop()
    }

    /// The upstream stops answering (no answers, no pongs) and then refuses handshakes for a
    /// while: the gateway declares it dead within the configured interval, /readyz goes 503,
    /// and returns to 200 once a new connection is up; the request caught in between is
    /// retried (it is read-only) and answered.
    @Test func silentUpstreamIsReplacedAndReadinessFollows() async throws {
        let fixture = try WebSocketFixture(["--silent-after", "1", "--down-for", "1.5"])
        defer { fixture.stop() }
        let gateway = try GatewayUnderTest(
            upstreamURL: fixture.url, pingInterval: .milliseconds(200),
            deadAfter: .seconds(1))
        let probe = try GatewayClient(port: gateway.port)
        #expect(try eventually { try probe.request("GET", "/readyz").status == 200 })
        #expect(try probe.request("POST", "/v1/call/depth", body: #"{"n":1}"#).status == 200)

        let caught = try GatewayClient(port: gateway.port)
        try caught.send("POST", "/v1/call/depth", body: #"{"n":2}"#)  // the fixture goes silent on this one
        let clock = ContinuousClock()
        let silentSince = clock.now
        #expect(try eventually(.seconds(5)) { try probe.request("GET", "/readyz").status == 503 })
        let declaredDead = clock.now - silentSince
        #expect(declaredDead < .seconds(2), "dead after 1 s of silence, noticed within the check interval")
        #expect(try eventually(.seconds(10)) { try probe.request("GET", "/readyz").status == 200 })

        let answer = try caught.receive()
        #expect(answer.status == 200)
        let echoed = fixtureResult(answer.body)
        #expect(echoed.params["n"] as? Int == 2 && echoed.connection == 2, "\(answer.body)")
        let status = await gateway.status()
        #expect(status.connected && status.reconnects == 1)
        await gateway.stop()
    }

    /// Make-before-break rotation every 2 s for 20 s under continuous load: zero failed requests.
    @Test func rotationUnderLoadLosesNothing() async throws {
        let fixture = try WebSocketFixture()
        defer { fixture.stop() }
        // The fixture reports no limits; lift the local one so that only rotation can fail a call.
        let gateway = try GatewayUnderTest(
            upstreamURL: fixture.url,
            configuration: UpstreamConfiguration(rotateAfter: .seconds(2)),
            rateLimits: [RateLimitRule(kind: .requestWeight, intervalMillis: 60_000, limit: 10_000_000)])
        #expect(try eventually { try GatewayClient(port: gateway.port).request("GET", "/readyz").status == 200 })
        let results = Tally()
        let end = Date().addingTimeInterval(20)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    do {
                        let client = try GatewayClient(port: gateway.port)
                        var sequence = 0
                        while Date() < end {
                            sequence += 1
                            let response = try client.request(
                                "POST", "/v1/call/depth", body: #"{"w":\#(worker),"s":\#(sequence)}"#)
                            let echoed = fixtureResult(response.body)
                            let matched =
                                response.status == 200 && echoed.params["w"] as? Int == worker
                                && echoed.params["s"] as? Int == sequence
                            results.record(matched ? nil : "\(response.status) \(response.body)")
                        }
                    } catch {
                        results.record("client error: \(error)")
                    }
                }
            }
        }
        let (ok, failed) = results.counts
        #expect(failed.isEmpty, "failed: \(failed.prefix(5))")
        #expect(ok > 1000, "load was continuous (\(ok) requests)")
        let status = await gateway.status()
        #expect(status.rotations >= 8, "rotations: \(status.rotations)")
        #expect(status.reconnects == 0)
        await gateway.stop()
    }
}

/// Counts successes and keeps failures, from many tasks.
private final class Tally: Sendable {
    private let state = Mutex<(ok: Int, failed: [String])>((0, []))

    func record(_ failure: String?) {
        state.withLock { if let failure { $0.failed.append(failure) } else { $0.ok += 1 } }
    }

    var counts: (ok: Int, failed: [String]) { state.withLock { ($0.ok, $0.failed) } }
}

/// The fixture's echo: the params it received and which connection carried them.
func fixtureResult(_ body: String) -> (params: [String: Any], connection: Int?) {
    let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    return ((object?["params"] as? [String: Any]) ?? [:], object?["connection"] as? Int)
}
