import Foundation
import OpenSSL
import TestSupport
import Testing
import Transport
import Upstream

/// `wss://` to the fixture under TLS (Python's `ssl`): the certificate chain and the name
/// are verified, and a failure says which of the two it was.
@Suite(.serialized) struct TLSUpstreamTests {
    private func connector(_ url: String, tls: TLSClientContext) throws -> WebSocketConnector {
        try WebSocketConnector(url: url, tls: tls, connectTimeout: .seconds(3), logger: interopLogger)
    }

    @Test func roundTripOverTLSWithTheTestCA() throws {
        let files = try TLSTestCertificates()
        let fixture = try interopFixture(["--tls-cert", files.certificate(ipSAN: true), "--tls-key", files.key])
        defer { fixture.stop() }
        let multiplexer = interopMultiplexer(
            try connector(
                "wss://localhost:\(fixture.port)/ws-fapi/v1",
                tls: try TLSClientContext(caFile: files.caFile)))
        defer { multiplexer.shutdown() }

        guard case .success(let reply)? = multiplexer.interopCall(interopRequest(params: #"{"symbol":"BTCUSDT"}"#))
        else {
            Issue.record("no answer over TLS")
            return
        }
        #expect(reply.status == 200)
        let result = interopObject(reply.body)
        #expect(result?["params"] as? [String: String] == ["symbol": "BTCUSDT"])
        #expect(result?["connection"] as? Int == 1)
    }

    @Test func anUnknownCAIsACertificateVerificationError() throws {
        let files = try TLSTestCertificates()
        let fixture = try interopFixture(["--tls-cert", files.certificate(ipSAN: true), "--tls-key", files.key])
        defer { fixture.stop() }

        let probe = InteropLinkProbe(
            try connector("wss://localhost:\(fixture.port)/ws-fapi/v1", tls: try TLSClientContext()))
        guard case .failure(let error)? = probe.connected() else {
            Issue.record("expected a failed connect, got \(String(describing: probe.connected()))")
            return
        }
        #expect(
            error as? TransportError
                == .tlsHandshakeFailed(
                    host: "localhost", .certificateVerificationFailed("unable to get local issuer certificate")),
            "\(error)")
        #expect("\(error)".contains("certificate verify failed"), "\(error)")
    }

    /// The certificate names `localhost` only. Dialled by IP it fails on the name even with
    /// the right CA; the same CA and IP with a certificate carrying IP:127.0.0.1 work.
    @Test func anIPAddressNotInTheCertificateIsAMismatch() throws {
        let files = try TLSTestCertificates()
        let tls = try TLSClientContext(caFile: files.caFile)
        let dnsOnly = try interopFixture(["--tls-cert", files.certificate(ipSAN: false), "--tls-key", files.key])
        defer { dnsOnly.stop() }

        let probe = InteropLinkProbe(try connector("wss://127.0.0.1:\(dnsOnly.port)/ws-fapi/v1", tls: tls))
        guard case .failure(let error)? = probe.connected() else {
            Issue.record("expected a failed connect, got \(String(describing: probe.connected()))")
            return
        }
        #expect(
            error as? TransportError
                == .tlsHandshakeFailed(host: "127.0.0.1", .certificateVerificationFailed("IP address mismatch")),
            "\(error)")
        #expect("\(error)" == "TLS with 127.0.0.1 failed: certificate verify failed: IP address mismatch")

        let withIP = try interopFixture(["--tls-cert", files.certificate(ipSAN: true), "--tls-key", files.key])
        defer { withIP.stop() }
        let control = InteropLinkProbe(try connector("wss://127.0.0.1:\(withIP.port)/ws-fapi/v1", tls: tls))
        guard case .success? = control.connected() else {
            Issue.record("the IP SAN certificate should verify: \(String(describing: control.connected()))")
            return
        }
        control.close()
    }
}

/// A throwaway CA and two server certificates signed by it, both for `localhost`, one also
/// for IP 127.0.0.1, made with the `openssl` command line in a temporary directory.
private final class TLSTestCertificates {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let directory: URL
    var caFile: String { path("ca.pem") }
    var key: String { path("server.key") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("interop-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path("ca.key"), "-out", caFile, "-days", "2", "-subj", "/CN=Interop Test CA",
        ])
        try run([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", path("server.csr"), "-subj", "/CN=localhost",
        ])
        for ipSAN in [false, true] {
            let names = ipSAN ? "DNS:localhost,IP:127.0.0.1" : "DNS:localhost"
            let extensions = path("server-\(ipSAN).ext")
            try Data("subjectAltName=\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
                .write(to: URL(fileURLWithPath: extensions))
            try run([
                "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", certificate(ipSAN: ipSAN), "-days", "2", "-extfile", extensions,
            ])
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func certificate(ipSAN: Bool) -> String { path(ipSAN ? "server-ip.pem" : "server-dns.pem") }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func run(_ arguments: [String]) throws {
        try ChildProcess.output(of: ["openssl"] + arguments)
    }
}
