import FoundationEssentials
import OpenSSL

/// The API key the gateway acts for and the private half that signs its requests.
///
/// Never printed: `description` shows the key's first characters and the kind only, so a
/// `Credentials` value that reaches a log line gives nothing away.
public struct Credentials: Sendable, CustomStringConvertible {
    public enum Key: Sendable {
        /// HMAC-SHA256 with the secret's bytes; signatures are lower-case hex.
        case hmac(secret: [UInt8])
        /// Ed25519; signatures are base64. The only kind `session.logon` accepts.
        case ed25519(Ed25519PrivateKey)
        /// RSASSA-PKCS1-v1_5 with SHA-256; signatures are base64.
        case rsa(RSAPrivateKey)
    }

    public let apiKey: String
    public let key: Key

    public init(apiKey: String, key: Key) {
        self.apiKey = apiKey
        self.key = key
    }

    /// The signature of `payload`, as Binance expects it for this kind of key.
    public func sign(_ payload: String) -> String {
        let bytes = Array(payload.utf8)
        switch key {
        case .hmac(let secret): return Hex.encode(Digest.hmacSHA256(key: secret, message: bytes))
        case .ed25519(let privateKey): return Data(privateKey.sign(bytes)).base64EncodedString()
        case .rsa(let privateKey): return Data(privateKey.sign(bytes)).base64EncodedString()
        }
    }

    /// Whether the upstream connection can log on once instead of signing every request.
    public var canLogOn: Bool {
        if case .ed25519 = key { return true }
        return false
    }

    public var kind: String {
        switch key {
        case .hmac: "HMAC-SHA256"
        case .ed25519: "Ed25519"
        case .rsa: "RSA"
        }
    }

    public var description: String { "\(kind) key \(apiKey.prefix(4))…" }
}
