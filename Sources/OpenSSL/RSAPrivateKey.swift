/// An RSA private key for signing Binance API requests (RSA API keys: PKCS#1 v1.5, SHA-256).
public struct RSAPrivateKey: Sendable {
    private let key: EVPKey

    /// Loads a PEM private key (PKCS#8 or traditional "BEGIN RSA PRIVATE KEY", optionally encrypted).
    public init(pem: String, passphrase: String? = nil) throws(SigningKeyError) {
        key = try EVPKey.privateKey(pem: pem, passphrase: passphrase, algorithm: .rsa)
    }

    /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    public func sign(_ message: [UInt8]) -> [UInt8] { key.sign(message) }

    /// The public key as PEM, for registering with Binance or handing to a simulator.
    public var publicKeyPEM: String { key.publicKeyPEM }
}
