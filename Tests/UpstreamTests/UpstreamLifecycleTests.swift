import Logging
import RequestWindow
import TestSupport
import Testing

@testable import Upstream

@Suite struct UpstreamLifecycleTests {
    private func makeMultiplexer(
        _ configuration: UpstreamConfiguration, connector: ScriptedConnector
    ) -> UpstreamMultiplexer {
        let multiplexer = UpstreamMultiplexer(
            configuration: configuration, connector: connector, logger: Logger(label: "test"))
        multiplexer.start()
        return multiplexer
    }

    /// The acceptance scenario: the upstream closes with 100 requests pending. Each gets exactly
    /// one answer; read-only ones are retried once on the next connection, state-changing ones
    /// are never sent again.
    @Test func hundredPendingRequestsEachGetExactlyOneAnswerAcrossADisconnect() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(
            UpstreamConfiguration(reconnectInitialDelay: .milliseconds(10)), connector: connector)
        let outcomes = Outcomes()
        for index in 0..<100 {
            let effect: RequestEffect = index.isMultiple(of: 2) ? .readOnly : .stateChanging
            multiplexer.submit(
                request(effect == .readOnly ? "depth" : "order.place", effect, tag: index),
                completion: outcomes.completion(index))
        }
        #expect(eventually { connector.links.first?.sent.count == 100 })
        let first = try #require(connector.links.first)
        first.drop()
        #expect(eventually { connector.links.count == 2 && connector.links[1].sent.count == 50 })
        let second = connector.links[1]
        #expect(second.sent.allSatisfy { $0.contains(#""method":"depth""#) }, "no state-changing request is resent")
        #expect(Set(second.sentIDs).isDisjoint(with: Set(first.sentIDs)), "ids are unique across reconnects")
        for id in second.sentIDs { second.answer(id) }
        #expect(eventually { outcomes.count == 100 })
        for index in 0..<100 {
            switch outcomes[index] {
            case .success?: #expect(index.isMultiple(of: 2))
            case .failure(.disconnected(let unknown))?: #expect(!index.isMultiple(of: 2) && unknown)
            default: Issue.record("request \(index): unexpected \(String(describing: outcomes[index]))")
            }
        }
    }

    @Test func aReadOnlyRequestIsRetriedOnlyOnce() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(
            UpstreamConfiguration(reconnectInitialDelay: .milliseconds(10)), connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(), completion: outcomes.completion(0))
        #expect(eventually { connector.links.first?.sent.count == 1 })
        connector.links[0].drop()
        #expect(eventually { connector.links.count == 2 && connector.links[1].sent.count == 1 })
        connector.links[1].drop()
        #expect(eventually { outcomes.count == 1 })
        #expect(
            outcomes[0].map { if case .failure(.disconnected(outcomeUnknown: false)) = $0 { true } else { false } }
                == true)
    }

    @Test func reconnectsWithBackoffAfterRefusals() async throws {
        let connector = ScriptedConnector()
        connector.refuse(next: 3)
        let multiplexer = makeMultiplexer(
            UpstreamConfiguration(
                reconnectInitialDelay: .milliseconds(20),
                reconnectMaxDelay: .milliseconds(200)),
            connector: connector)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(eventually { connector.links.count == 1 })
        #expect(connector.attempts == 4)
        // Delays are random in [d/2, d] for d = 20, 40, 80 ms: at least 70 ms in all.
        #expect(clock.now - started >= .milliseconds(70))
        let status = await withCheckedContinuation { continuation in
            multiplexer.status { continuation.resume(returning: $0) }
        }
        #expect(status.connected)
    }

    /// Make-before-break: the new connection takes new requests, the old one drains its
    /// in-flight answers and is then closed. Nothing fails.
    @Test func rotationDrainsTheOldConnectionWithoutFailures() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(UpstreamConfiguration(rotateAfter: .milliseconds(400)), connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(tag: 0), completion: outcomes.completion(0))
        #expect(eventually { connector.links.first?.sent.count == 1 })
        let old = connector.links[0]
        #expect(eventually { connector.links.count >= 2 }, "rotated")
        multiplexer.submit(request(tag: 1), completion: outcomes.completion(1))
        #expect(eventually { connector.links.dropFirst().contains { $0.sent.count == 1 } })
        let new = try #require(connector.links.dropFirst().first { $0.sent.count == 1 })
        #expect(new.sent[0].contains(#""tag":1"#), "new requests go to the new connection")
        #expect(old.sent.count == 1 && !old.isClosed, "the old link drains before it closes")
        old.answer(old.sentIDs[0])
        new.answer(new.sentIDs[0])
        #expect(eventually { outcomes.count == 2 && old.isClosed })
        #expect(outcomes.all.values.allSatisfy { if case .success = $0 { true } else { false } })
        let status = await withCheckedContinuation { continuation in
            multiplexer.status { continuation.resume(returning: $0) }
        }
        #expect(status.rotations >= 1 && status.reconnects == 0)
        multiplexer.shutdown()
    }
}
