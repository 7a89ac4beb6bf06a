import Foundation
import OpenSSL
import TestSupport

@testable import Simulator

/// Shared helpers for the authentication tests: params from text, signing, keys from the
/// `openssl` command line, and Python as an independent HMAC implementation.
enum AuthTestSupport {
    static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
    static let now: Int64 = 1_795_548_744_700

    static func params(_ json: String) throws -> JSONParams {
        try JSONParams(object: Array(json.utf8))
    }

    static func hmacHex(secret: String, _ payload: String) -> String {
        Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(payload.utf8)))
    }

    /// `{…, "signature": <HMAC of the payload of `fields`>}` as params.
    static func signedHMAC(_ fields: String, secret: String = secret) throws -> JSONParams {
        let payload = SigningPayload.make(try params("{\(fields)}"))
        return try params(#"{\#(fields),"signature":"\#(hmacHex(secret: secret, payload))"}"#)
    }

    static func authenticator(_ extra: [String: SimulatorKeys.Credential] = [:]) -> RequestAuthenticator {
        var keys = SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))])
        for (key, credential) in extra { keys.register(apiKey: key, credential) }
        return RequestAuthenticator(keys: keys)
    }

    /// Runs a program and returns its standard output.
    static func run(_ arguments: [String]) throws -> String {
        try ChildProcess.output(of: arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// HMAC-SHA256 hex computed by Python's `hmac` module.
    static func pythonHMAC(secret: String, _ payload: String) throws -> String {
        try run([
            "python3", "-c",
            "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())",
            secret, payload,
        ])
    }

    /// A private key PEM from `openssl genpkey`, made in a temporary directory that is removed.
    static func generateKey(_ arguments: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("key.pem").path
        _ = try run(["openssl", "genpkey"] + arguments + ["-out", path])
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static func ed25519Key() throws -> Ed25519PrivateKey {
        try Ed25519PrivateKey(pem: generateKey(["-algorithm", "ed25519"]))
    }

    static func rsaKey() throws -> RSAPrivateKey {
        try RSAPrivateKey(pem: generateKey(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]))
    }

    /// Params signed with a base64 asymmetric signature over their payload.
    static func signedBase64(_ fields: String, sign: ([UInt8]) -> [UInt8]) throws -> JSONParams {
        let payload = SigningPayload.make(try params("{\(fields)}"))
        let signature = Data(sign(Array(payload.utf8))).base64EncodedString()
        return try params(#"{\#(fields),"signature":"\#(signature)"}"#)
    }
}
