import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `tls_alpn_proxy.py` as a child process: TLS with a chosen ALPN answer in front of a local
/// port, plus a throwaway CA and a `localhost` certificate made with the `openssl` command.
///
/// The interpreter is `INTEROP_PYTHON` when set (scripts/test points it at the project venv),
/// else `python3` from `PATH`; the script needs only the standard library.
final class TLSFront: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let port: UInt16
    let caFile: String
    private let directory: URL
    private let process: ChildProcess

    init(targetPort: UInt16, alpn: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rest-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = { [directory] (name: String) in directory.appendingPathComponent(name).path }
        caFile = path("ca.pem")
        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path("ca.key"), "-out", caFile, "-days", "2", "-subj", "/CN=REST Test CA",
        ])
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost",
        ])
        try Data("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: URL(fileURLWithPath: path("server.ext")))
        try Self.openssl([
            "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("server.pem"), "-days", "2", "-extfile", path("server.ext"),
        ])

        let script = RepositoryRoot.appending("Tests/RESTClientTests/tls_alpn_proxy.py")
        let arguments = [
            script.path, path("server.pem"), path("server.key"), String(targetPort), alpn.joined(separator: ","),
        ]
        if let python = ProcessInfo.processInfo.environment["INTEROP_PYTHON"], !python.isEmpty {
            process = try ChildProcess(URL(fileURLWithPath: python), arguments, capturing: .standardOutput)
        } else {
            process = try ChildProcess(command: ["python3"] + arguments, capturing: .standardOutput)
        }
        let line = process.waitForLine { _ in true } ?? ""
        guard let port = UInt16(line) else {
            process.send(SIGKILL)
            throw Failure(description: "tls_alpn_proxy.py did not start")
        }
        self.port = port
    }

    /// Kills the script: SIGKILL, because the test runner may start children with SIGTERM blocked.
    func stop() {
        process.send(SIGKILL)
        _ = process.waitForExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func openssl(_ arguments: [String]) throws {
        try ChildProcess.output(of: ["openssl"] + arguments)
    }
}
