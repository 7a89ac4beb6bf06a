import OpenSSL

/// The API keys the simulated exchange knows, and how each one's signatures are checked.
///
/// Binance identifies a caller by `apiKey` and verifies its signature with the key's secret
/// (HMAC) or registered public key (Ed25519, RSA); the simulator needs the same registry.
/// Immutable once built, so one value can be shared by every connection.
public struct SimulatorKeys: Sendable {
    /// How a key's signatures are verified.
    public enum Credential: Sendable {
        /// HMAC-SHA256 with the secret's UTF-8 bytes as the key; signatures are hex.
        case hmac(secret: [UInt8])
        /// Ed25519 over the payload bytes; signatures are base64.
        case ed25519(Ed25519PublicKey)
        /// RSASSA-PKCS1-v1_5 SHA-256 over the payload bytes; signatures are base64.
        case rsa(RSAPublicKey)
    }

    /// A freshly generated HMAC key: what `serve --simulate` hands to the in-process gateway.
    public struct Generated: Sendable {
        public let keys: SimulatorKeys
        public let apiKey: String
        public let secret: String
    }

    public private(set) var credentials: [String: Credential]

    public init(_ credentials: [String: Credential] = [:]) {
        self.credentials = credentials
    }

    public subscript(apiKey: String) -> Credential? { credentials[apiKey] }

    /// Adds or replaces one key.
    public mutating func register(apiKey: String, _ credential: Credential) {
        credentials[apiKey] = credential
    }

    /// One new HMAC key: a 64-character alphanumeric apiKey and secret, like Binance issues.
    public static func generate() -> Generated {
        let apiKey = randomAlphanumerics(64)
        let secret = randomAlphanumerics(64)
        return Generated(
            keys: SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))]), apiKey: apiKey, secret: secret)
    }

    /// `count` characters from `[A-Za-z0-9]`, uniformly, from the OpenSSL random generator.
    public static func randomAlphanumerics(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var out: [UInt8] = []
        while out.count < count {
            // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
            for byte in SecureRandom.bytes(count) where byte < 248 && out.count < count {
                out.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
