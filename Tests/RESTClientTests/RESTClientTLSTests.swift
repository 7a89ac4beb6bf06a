import Foundation
import OpenSSL
import RESTClient
import RequestWindow
import Testing

/// `https://` with ALPN: h2 when the server selects it, HTTP/1.1 when it selects http/1.1 or
/// nothing (in `auto`), a connection error in `h2` mode. The server is the simulator behind
/// a Python TLS front that answers ALPN as told.
@Suite struct RESTClientTLSTests {
    private func check(alpn: [String], mode: RESTProtocol, expect protocolName: String?) throws {
        let simulator = try RunningSimulator()
        defer { simulator.stop() }
        guard let simulatorPort = simulator.baseURL.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            Issue.record("no simulator port in \(simulator.baseURL)")
            return
        }
        let front = try TLSFront(targetPort: simulatorPort, alpn: alpn)
        defer { front.stop() }
        let tls = try TLSClientContext(caFile: front.caFile, alpn: mode.alpnOffer)
        let client = try RESTClient(
            baseURL: "https://localhost:\(front.port)", protocol: mode, tls: tls,
            configuration: RESTClientConfiguration(requestTimeout: .seconds(3)), logger: quietLogger)
        defer { shutdownAndWait(client) }

        let outcome = call(client, restRequest("/fapi/v1/time"))
        if let protocolName {
            guard case .success(let response)? = outcome else {
                Issue.record("ALPN \(alpn), \(mode): \(String(describing: outcome))")
                return
            }
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self).hasPrefix(#"{"serverTime":"#))
            #expect(client.status.protocolName == protocolName)
        } else {
            #expect(
                outcome.map { if case .failure(.unavailable) = $0 { true } else { false } } == true,
                "ALPN \(alpn), \(mode): \(String(describing: outcome))")
            #expect(client.status.connectionsOpened == 0)
        }
    }

    @Test func h2WhenTheServerSelectsIt() throws {
        try check(alpn: ["h2", "http/1.1"], mode: .auto, expect: "h2")
    }

    @Test func autoUsesHTTP1WhenTheServerSelectsIt() throws {
        try check(alpn: ["http/1.1"], mode: .auto, expect: "http/1.1")
    }

    @Test func autoUsesHTTP1WhenTheServerSelectsNothing() throws {
        try check(alpn: [], mode: .auto, expect: "http/1.1")
    }

    @Test func h2ModeRefusesAServerThatSelectsHTTP1() throws {
        try check(alpn: ["http/1.1"], mode: .h2, expect: nil)
    }
}
