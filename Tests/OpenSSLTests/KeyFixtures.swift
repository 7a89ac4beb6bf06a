import Foundation
import TestSupport

/// Keys made by the `openssl` command line in a temporary directory, removed afterwards.
final class KeyFixtures {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `openssl genpkey` with `arguments` and returns the PEM it wrote.
    func generate(_ name: String, _ arguments: [String]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Self.openssl(["genpkey"] + arguments + ["-out", path])
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func ed25519(passphrase: String? = nil) throws -> String {
        try generate("ed25519-\(UUID().uuidString).pem", ["-algorithm", "ed25519"] + Self.encryption(passphrase))
    }

    func rsa(passphrase: String? = nil) throws -> String {
        try generate(
            "rsa-\(UUID().uuidString).pem",
            ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"] + Self.encryption(passphrase))
    }

    private static func encryption(_ passphrase: String?) -> [String] {
        passphrase.map { ["-aes256", "-pass", "pass:\($0)"] } ?? []
    }

    static func openssl(_ arguments: [String]) throws {
        try ChildProcess.output(of: ["openssl"] + arguments)
    }
}
