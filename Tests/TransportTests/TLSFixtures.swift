import Foundation
import TestSupport

/// A throwaway CA and a server certificate for `localhost` and 127.0.0.1, made with the
/// `openssl` command line in a temporary directory.
final class TLSFixtures {
    let directory: URL
    var caFile: String { path("ca.pem") }
    var certificateFile: String { path("server.pem") }
    var keyFile: String { path("server.key") }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("transport-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8
        )
        .write(to: directory.appendingPathComponent("server.ext"))
        try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", path("ca.key"), "-out", caFile, "-days", "2", "-subj", "/CN=Transport Test CA",
        ])
        try run([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", keyFile, "-out", path("server.csr"), "-subj", "/CN=localhost",
        ])
        try run([
            "x509", "-req", "-in", path("server.csr"), "-CA", caFile, "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", certificateFile, "-days", "2", "-extfile", path("server.ext"),
        ])
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// `openssl s_server -www` on an ephemeral port; returns the process and its port.
    func startHTTPServer(alpn: String? = nil) throws -> (ChildProcess, UInt16) {
        var arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", certificateFile, "-key", keyFile, "-www",
        ]
        if let alpn { arguments += ["-alpn", alpn] }
        let server = try ChildProcess(command: arguments)
        return (server, try server.waitForPort(prefix: "ACCEPT"))
    }

    /// A Python TLS echo server on an ephemeral port.
    func startEchoServer() throws -> (ChildProcess, UInt16) {
        let script = """
            import socket, ssl, sys, threading
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[1], sys.argv[2])
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(16)
            print("PORT", listener.getsockname()[1], flush=True)
            def serve(connection):
                try:
                    with context.wrap_socket(connection, server_side=True) as tls:
                        while True:
                            data = tls.recv(65536)
                            if not data:
                                break
                            tls.sendall(data)
                except Exception as error:
                    print("error", error, flush=True)
            while True:
                connection, _ = listener.accept()
                threading.Thread(target=serve, args=(connection,), daemon=True).start()
            """
        let server = try ChildProcess(command: ["python3", "-c", script, certificateFile, keyFile])
        return (server, try server.waitForPort(prefix: "PORT "))
    }

    private func run(_ arguments: [String]) throws {
        try ChildProcess.output(of: ["openssl"] + arguments)
    }
}

extension TLSFixtures {
    /// Whether `python3` runs here (for the TLS echo server).
    static let hasPython: Bool = (try? ChildProcess.run(command: ["python3", "-c", "import ssl"]))?.succeeded == true
}
