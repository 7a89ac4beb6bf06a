import Foundation
import RESTClient
import RequestWindow
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Deadlines, lost connections, reset streams and GOAWAY, against scripted raw servers.
@Suite struct RESTClientFailureTests {
    private let fast = RESTClientConfiguration(requestTimeout: .milliseconds(400), connectTimeout: .seconds(2))

    @Test(arguments: [RESTProtocol.http1, .h2])
    func aServerThatNeverAnswersTimesOut(mode: RESTProtocol) throws {
        let server = try RawServer { fd, _, _ in
            if mode == .h2 { RawH2(fd: fd).sendSettings() }
            RawServer.drain(fd)
        }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: mode, tls: nil, configuration: fast, logger: quietLogger)
        defer { shutdownAndWait(client) }
        let started = ContinuousClock.now
        guard case .failure(let failure)? = call(client, restRequest("/fapi/v1/time")) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(failure == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aRequestNeverSentIsUnavailable() throws {
        let server = try RawServer { fd, _, _ in RawServer.drain(fd) }  // accepts, never sends SETTINGS
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: .h2, tls: nil, configuration: fast, logger: quietLogger)
        defer { shutdownAndWait(client) }
        #expect(
            call(client, restRequest("/fapi/v1/time")).map {
                if case .failure(.unavailable) = $0 { true } else { false }
            } == true)
    }

    @Test(arguments: [RESTProtocol.http1, .h2])
    func aStateChangingRequestCaughtByADisconnectIsNeverResent(mode: RESTProtocol) throws {
        let server = try RawServer { fd, _, server in
            if mode == .h2 {
                var h2 = RawH2(fd: fd)
                h2.sendSettings()
                guard h2.nextRequest() != nil else { return }
            } else {
                guard RawServer.readHead(fd) else { return }
            }
            server.sawRequest()  // then drop the connection without an answer
        }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: mode, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(3)), logger: quietLogger)
        defer { shutdownAndWait(client) }
        let outcome = call(client, restRequest("/fapi/v1/order?symbol=BTCUSDT", method: .POST, effect: .stateChanging))
        #expect(
            outcome.map { if case .failure(.disconnected(outcomeUnknown: true)) = $0 { true } else { false } } == true,
            "\(String(describing: outcome))")
        usleep(300_000)
        #expect(server.requests == 1, "the server saw it once")
    }

    @Test(arguments: [RESTProtocol.http1, .h2])
    func aReadOnlyRequestIsRetriedOnceOnTheNextConnection(mode: RESTProtocol) throws {
        let server = try RawServer { fd, index, server in
            if mode == .h2 {
                var h2 = RawH2(fd: fd)
                h2.sendSettings()
                guard let stream = h2.nextRequest() else { return }
                server.sawRequest()
                guard index > 0 else { return }  // the first connection dies with the request
                h2.respond(stream, body: #"{"serverTime":2}"#)
            } else {
                guard RawServer.readHead(fd) else { return }
                server.sawRequest()
                guard index > 0 else { return }
                RawServer.write(fd, Array("HTTP/1.1 200 OK\r\ncontent-length: 16\r\n\r\n{\"serverTime\":2}".utf8))
            }
            RawServer.drain(fd)
        }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: mode, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(3)), logger: quietLogger)
        defer { shutdownAndWait(client) }
        guard case .success(let response)? = call(client, restRequest("/fapi/v1/time")) else {
            Issue.record("the retry should have succeeded")
            return
        }
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"serverTime":2}"#)
        #expect(server.requests == 2)
        #expect(client.status.connectionsOpened == 2)
    }

    @Test func aReadOnlyRequestIsRetriedOnlyOnce() throws {
        let server = try RawServer { fd, _, server in
            guard RawServer.readHead(fd) else { return }
            server.sawRequest()
        }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: .http1, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(3)), logger: quietLogger)
        defer { shutdownAndWait(client) }
        let outcome = call(client, restRequest("/fapi/v1/time"))
        #expect(
            outcome.map { if case .failure(.disconnected(outcomeUnknown: false)) = $0 { true } else { false } } == true,
            "\(String(describing: outcome))")
        usleep(300_000)
        #expect(server.requests == 2)
    }

    /// REFUSED_STREAM and a GOAWAY below the stream both mean "not processed": even a
    /// state-changing request is sent again (after REFUSED_STREAM on the same connection,
    /// after GOAWAY on a new one).
    @Test(arguments: ["refused", "goaway"])
    func unprocessedStreamsAreResentEvenWhenStateChanging(how: String) throws {
        let server = try RawServer { fd, index, server in
            var h2 = RawH2(fd: fd)
            h2.sendSettings()
            var answered = 0
            while let stream = h2.nextRequest() {
                server.sawRequest()
                defer { answered += 1 }
                if index == 0 && answered == 0 {
                    if how == "refused" { h2.reset(stream, code: 7) } else { return h2.goAway(lastStream: 0) }
                } else {
                    h2.respond(stream, body: #"{"orderId":1}"#)
                }
            }
        }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: .h2, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(3)), logger: quietLogger)
        defer { shutdownAndWait(client) }
        let outcomes = Outcomes()
        client.send(
            restRequest("/fapi/v1/order", method: .POST, effect: .stateChanging, body: "symbol=BTCUSDT"),
            completion: outcomes.completion(0))
        #expect(eventually { outcomes.count == 1 })
        #expect(outcomes.body(0) == #"{"orderId":1}"#, "\(String(describing: outcomes[0]))")
        #expect(server.requests == 2)
        #expect(client.status.connectionsOpened == (how == "refused" ? 1 : 2))
        usleep(100_000)
        #expect(outcomes.count == 1, "exactly one completion")
    }

    @Test func theQueueIsBoundedThenOverloaded() throws {
        let server = try RawServer { fd, _, _ in RawServer.drain(fd) }
        defer { server.stop() }
        let client = try RESTClient(
            baseURL: server.baseURL, protocol: .http1, tls: nil,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(1), maxInFlight: 1, maxQueued: 2),
            logger: quietLogger)
        defer { shutdownAndWait(client) }
        client.start()
        #expect(eventually { client.status.connected })
        let outcomes = Outcomes()
        for index in 0..<4 { client.send(restRequest("/fapi/v1/time"), completion: outcomes.completion(index)) }
        #expect(eventually { outcomes.count == 4 })
        #expect(outcomes.failure(3) == .overloaded)
        #expect((0..<3).filter { outcomes.failure($0) == .timedOut }.count == 1, "only one was on the wire")
        #expect((0..<3).filter { outcomes.failure($0) == .unavailable }.count == 2)
    }

    @Test func shutdownFailsWhatIsPending() throws {
        let server = try RawServer { fd, _, _ in RawServer.drain(fd) }
        defer { server.stop() }
        let client = try RESTClient(baseURL: server.baseURL, protocol: .http1, tls: nil, logger: quietLogger)
        let outcomes = Outcomes()
        client.send(
            restRequest("/fapi/v1/order", method: .POST, effect: .stateChanging), completion: outcomes.completion(0))
        client.send(restRequest("/fapi/v1/time"), completion: outcomes.completion(1))
        #expect(eventually { client.status.inFlight == 1 })
        shutdownAndWait(client)
        #expect(outcomes.failure(0) == .disconnected(outcomeUnknown: true))
        #expect(outcomes.failure(1) == .shuttingDown)
        #expect(
            call(client, restRequest("/fapi/v1/time")).map {
                if case .failure(.shuttingDown) = $0 { true } else { false }
            } == true)
    }
}
