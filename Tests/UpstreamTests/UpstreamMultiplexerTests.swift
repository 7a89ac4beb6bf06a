import Logging
import RequestWindow
import TestSupport
import Testing

@testable import Upstream

@Suite struct UpstreamMultiplexerTests {
    private func makeMultiplexer(
        _ configuration: UpstreamConfiguration = UpstreamConfiguration(),
        connector: ScriptedConnector
    ) -> UpstreamMultiplexer {
        let multiplexer = UpstreamMultiplexer(
            configuration: configuration, connector: connector,
            logger: Logger(label: "test"))
        multiplexer.start()
        return multiplexer
    }

    private func body(_ outcome: Result<UpstreamReply, UpstreamFailure>?) -> String? {
        guard case .success(let reply)? = outcome else { return nil }
        return String(decoding: reply.body, as: UTF8.self)
    }

    @Test func answersAreMatchedByIDInAnyOrder() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(connector: connector)
        let outcomes = Outcomes()
        for index in 0..<3 { multiplexer.submit(request(tag: index), completion: outcomes.completion(index)) }
        #expect(eventually { connector.links.first?.sent.count == 3 })
        let link = try #require(connector.links.first)
        let ids = link.sentIDs
        #expect(Set(ids).count == 3)
        for (index, id) in ids.enumerated().reversed() { link.answer(id, result: #"{"tag":\#(index)}"#) }
        #expect(eventually { outcomes.count == 3 })
        for index in 0..<3 { #expect(body(outcomes[index]) == #"{"tag":\#(index)}"#) }
    }

    @Test func upstreamBytesReachTheCallerUnchanged() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(), completion: outcomes.completion(0))
        #expect(eventually { connector.links.first?.sentIDs.count == 1 })
        let link = try #require(connector.links.first)
        let exact = #"{"orderId":9007199254740993,"price":"0.10000000","b":1,"a":2}"#
        link.answer(link.sentIDs[0], result: exact)
        #expect(eventually { outcomes.count == 1 })
        #expect(body(outcomes[0]) == exact)
    }

    @Test func upstreamErrorsKeepTheirStatusAndBody() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(), completion: outcomes.completion(0))
        #expect(eventually { connector.links.first?.sentIDs.count == 1 })
        let link = try #require(connector.links.first)
        link.answer(link.sentIDs[0], status: 400, result: #"{"code":-2013,"msg":"Order does not exist."}"#)
        #expect(eventually { outcomes.count == 1 })
        guard case .success(let reply)? = outcomes[0] else {
            Issue.record("no reply")
            return
        }
        #expect(reply.status == 400)
        #expect(String(decoding: reply.body, as: UTF8.self) == #"{"code":-2013,"msg":"Order does not exist."}"#)
    }

    @Test func windowAndQueueAreBoundedThenOverloaded() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(UpstreamConfiguration(maxInFlight: 2, maxQueued: 1), connector: connector)
        #expect(eventually { connector.links.count == 1 })
        let outcomes = Outcomes()
        for index in 0..<4 { multiplexer.submit(request(tag: index), completion: outcomes.completion(index)) }
        #expect(eventually { outcomes[3] != nil })
        #expect(outcomes[3].map { if case .failure(.overloaded) = $0 { true } else { false } } == true)
        let link = try #require(connector.links.first)
        #expect(link.sent.count == 2, "only the window is sent")
        link.answer(link.sentIDs[0])
        #expect(eventually { link.sent.count == 3 }, "the queued request goes out when the window opens")
        #expect(link.sent[2].contains(#""tag":2"#))
    }

    @Test func unansweredRequestsTimeOutAndLateAnswersAreDropped() async throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(
            UpstreamConfiguration(requestTimeout: .milliseconds(200)), connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(), completion: outcomes.completion(0))
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes[0].map { if case .failure(.timedOut) = $0 { true } else { false } } == true)
        let link = try #require(connector.links.first)
        link.answer(link.sentIDs[0])  // late: must not produce a second outcome (Outcomes traps on that)
        try await Task.sleep(for: .milliseconds(50))
        #expect(outcomes.count == 1)
    }

    @Test func requestsWithoutAConnectionAreNotSentAndGet503() async throws {
        let connector = ScriptedConnector()
        connector.refuse(next: 1000)
        let multiplexer = makeMultiplexer(
            UpstreamConfiguration(requestTimeout: .milliseconds(150)), connector: connector)
        let outcomes = Outcomes()
        multiplexer.submit(request(), completion: outcomes.completion(0))
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes[0].map { if case .failure(.unavailable) = $0 { true } else { false } } == true)
        multiplexer.shutdown()
    }

    @Test func shutdownAnswersEverythingAtOnce() throws {
        let connector = ScriptedConnector()
        let multiplexer = makeMultiplexer(UpstreamConfiguration(maxInFlight: 2), connector: connector)
        #expect(eventually { connector.links.count == 1 })
        let outcomes = Outcomes()
        multiplexer.submit(request("depth", .readOnly), completion: outcomes.completion(0))
        multiplexer.submit(request("order.place", .stateChanging), completion: outcomes.completion(1))
        multiplexer.submit(request("depth", .readOnly), completion: outcomes.completion(2))  // waits: window full
        #expect(eventually { connector.links[0].sent.count == 2 })
        multiplexer.shutdown()
        #expect(eventually(.milliseconds(500)) { outcomes.count == 3 })
        #expect(
            outcomes[0].map { if case .failure(.disconnected(outcomeUnknown: false)) = $0 { true } else { false } }
                == true)
        #expect(
            outcomes[1].map { if case .failure(.disconnected(outcomeUnknown: true)) = $0 { true } else { false } }
                == true)
        #expect(outcomes[2].map { if case .failure(.shuttingDown) = $0 { true } else { false } } == true)
    }
}
