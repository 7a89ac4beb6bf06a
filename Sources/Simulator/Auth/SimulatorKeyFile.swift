import FoundationEssentials
import HTTP1
import OpenSSL
import RawJSON

/// Why a simulator key file could not be loaded: the line and what to fix.
public struct SimulatorKeyFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let reason: String

    public var description: String { line > 0 ? "key file line \(line): \(reason)" : "key file: \(reason)" }
}

/// Loading `SimulatorKeys` from a key file, so a simulator can share keys with a gateway started elsewhere.
///
/// Format: JSON lines, one key per line; blank lines and lines starting with `#` are ignored.
///
///     {"apiKey":"…","type":"hmac","secret":"…"}
///     {"apiKey":"…","type":"ed25519","publicKeyPEM":"-----BEGIN PUBLIC KEY-----\n…"}
///     {"apiKey":"…","type":"rsa","publicKeyPEM":"-----BEGIN PUBLIC KEY-----\n…"}
///
/// An apiKey may appear only once.
extension SimulatorKeys {
    public init(keyFile text: String) throws(SimulatorKeyFileError) {
        self.init()
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(line.trimmed())
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let number = offset + 1
            let (apiKey, credential) = try Self.entry(trimmed, line: number)
            guard self[apiKey] == nil else {
                throw SimulatorKeyFileError(line: number, reason: "apiKey \(apiKey) repeats")
            }
            register(apiKey: apiKey, credential)
        }
    }

    public init(contentsOfFile path: String) throws(SimulatorKeyFileError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SimulatorKeyFileError(line: 0, reason: "cannot read \(path): \(error)")
        }
        try self.init(keyFile: text)
    }

    private static func entry(_ line: String, line number: Int) throws(SimulatorKeyFileError) -> (String, Credential) {
        func fail(_ reason: String) -> SimulatorKeyFileError { SimulatorKeyFileError(line: number, reason: reason) }
        guard let object = try? JSONObject(parsing: Array(line.utf8)) else {
            throw fail("not a JSON object")
        }
        guard let apiKey = object["apiKey"]?.string, !apiKey.isEmpty else { throw fail("missing \"apiKey\"") }
        switch object["type"]?.string {
        case "hmac":
            guard let secret = object["secret"]?.string, !secret.isEmpty else { throw fail("missing \"secret\"") }
            return (apiKey, .hmac(secret: Array(secret.utf8)))
        case let type? where type == "ed25519" || type == "rsa":
            guard let pem = object["publicKeyPEM"]?.string else { throw fail("missing \"publicKeyPEM\"") }
            do {
                return (
                    apiKey, type == "rsa" ? .rsa(try RSAPublicKey(pem: pem)) : .ed25519(try Ed25519PublicKey(pem: pem))
                )
            } catch {
                throw fail(error.description)
            }
        default:
            throw fail("\"type\" must be \"hmac\", \"ed25519\" or \"rsa\"")
        }
    }
}
