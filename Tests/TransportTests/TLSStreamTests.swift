import OpenSSL
import Testing
import Transport

@Suite struct TLSStreamTests {
    let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)

    @Test func trustedServerAnswersOverTLS() async throws {
        let fixtures = try TLSFixtures()
        let (server, port) = try fixtures.startHTTPServer(alpn: "http/1.1")
        defer { withExtendedLifetime(server) {} }
        let tls = try TLSClientContext(caFile: fixtures.caFile, alpn: ["h2", "http/1.1"])
        let probe = try await StreamProbe.connect(host: "localhost", port: port, tls: tls).get()
        #expect(await probe.onQueue { $0.isSecure })
        #expect(await probe.onQueue { $0.negotiatedALPN } == "http/1.1")
        probe.write(request)
        let state = await probe.wait { $0.closed }
        #expect(state.text.hasPrefix("HTTP/1.0 200 ok\r\n"))
        #expect(state.closeError == .closedByPeer)
        #expect(state.closeCount == 1)
    }

    @Test func ipAddressIsVerifiedAgainstTheIPSubjectAltName() async throws {
        let fixtures = try TLSFixtures()
        let (server, port) = try fixtures.startHTTPServer()
        defer { withExtendedLifetime(server) {} }
        let tls = try TLSClientContext(caFile: fixtures.caFile)
        let probe = try await StreamProbe.connect(host: "127.0.0.1", port: port, tls: tls).get()
        #expect(await probe.onQueue { $0.negotiatedALPN } == nil)
        probe.write(request)
        let state = await probe.wait { $0.text.contains("\r\n\r\n") || $0.closed }
        #expect(state.text.hasPrefix("HTTP/1.0 200 ok\r\n"))
        probe.close()
        #expect(await probe.wait { $0.closed }.closeCount == 1)
    }

    @Test func untrustedCertificateIsAClearVerificationError() async throws {
        let fixtures = try TLSFixtures()
        let (server, port) = try fixtures.startHTTPServer()
        defer { withExtendedLifetime(server) {} }
        let result = await StreamProbe.connect(host: "localhost", port: port, tls: try TLSClientContext())
        guard case .failure(.tlsHandshakeFailed(let host, let error)) = result else {
            Issue.record("expected a TLS failure, got \(result)")
            return
        }
        #expect(host == "localhost")
        guard case .certificateVerificationFailed(let reason) = error else {
            Issue.record("expected a verification failure, got \(error)")
            return
        }
        #expect(reason == "unable to get local issuer certificate")
        #expect(error.description == "certificate verify failed: unable to get local issuer certificate")
    }

    @Test func wrongHostNameIsAClearMismatchError() async throws {
        let fixtures = try TLSFixtures()
        let (server, port) = try fixtures.startHTTPServer()
        defer { withExtendedLifetime(server) {} }
        let tls = try TLSClientContext(caFile: fixtures.caFile)
        let result = await StreamProbe.connect(host: "127.0.0.1", port: port, tls: tls, serverName: "wrong.example")
        guard case .failure(let error) = result else {
            Issue.record("connected despite the wrong name")
            return
        }
        #expect(
            error == .tlsHandshakeFailed(host: "wrong.example", .certificateVerificationFailed("hostname mismatch")))
        #expect(error.description == "TLS with wrong.example failed: certificate verify failed: hostname mismatch")
    }

    @Test func handshakeTimesOutWhenTheServerNeverAnswers() async throws {
        let server = try TCPTestServer(.count)  // accepts, reads the ClientHello, never answers
        let result = await StreamProbe.connect(
            host: "127.0.0.1", port: server.port, tls: try TLSClientContext(),
            timeout: .milliseconds(300))
        guard case .failure(let error) = result else {
            Issue.record("handshake finished with a silent server")
            return
        }
        #expect(error == .timedOut(host: "127.0.0.1", port: server.port, phase: "TLS handshake"))
    }

    @Test func plainServerIsAHandshakeFailure() async throws {
        let server = try TCPTestServer(.closeImmediately)
        let result = await StreamProbe.connect(host: "127.0.0.1", port: server.port, tls: try TLSClientContext())
        guard case .failure(.tlsHandshakeFailed(_, let error)) = result else {
            Issue.record("expected a handshake failure, got \(result)")
            return
        }
        #expect(error == .closedDuringHandshake || error == .io("Connection reset by peer"))
    }

    @Test func missingCAFileIsAConfigurationError() {
        let error = #expect(throws: TLSError.self) { try TLSClientContext(caFile: "/nonexistent/ca.pem") }
        #expect(
            error?.description.hasPrefix("TLS configuration failed: cannot load CA file /nonexistent/ca.pem") == true)
    }

    @Test(.enabled(if: TLSFixtures.hasPython))
    func largeEchoOverTLSArrivesInOrder() async throws {
        let fixtures = try TLSFixtures()
        let (server, port) = try fixtures.startEchoServer()
        defer { withExtendedLifetime(server) {} }
        let tls = try TLSClientContext(caFile: fixtures.caFile)
        let probe = try await StreamProbe.connect(host: "localhost", port: port, tls: tls).get()
        var expected: [UInt8] = []
        for index in 0..<64 {
            let chunk = [UInt8](repeating: UInt8(index), count: 65_536 + index)
            expected += chunk
            probe.write(chunk)
        }
        let total = expected.count
        let state = await probe.wait(timeout: .seconds(60)) { $0.received.count >= total || $0.closed }
        #expect(state.received.count == expected.count)
        #expect(state.received == expected)
        probe.close()
        let closed = await probe.wait { $0.closed }
        #expect(closed.closeCount == 1 && closed.closeError == nil)
    }
}
