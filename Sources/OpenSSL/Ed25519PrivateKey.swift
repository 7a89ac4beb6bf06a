/// An Ed25519 private key for signing Binance API requests (the key type Binance recommends).
public struct Ed25519PrivateKey: Sendable {
    private let key: EVPKey

    /// Loads a PKCS#8 PEM private key ("BEGIN PRIVATE KEY" or "BEGIN ENCRYPTED PRIVATE KEY").
    public init(pem: String, passphrase: String? = nil) throws(SigningKeyError) {
        key = try EVPKey.privateKey(pem: pem, passphrase: passphrase, algorithm: .ed25519)
    }

    /// The 64-byte Ed25519 signature of `message`.
    public func sign(_ message: [UInt8]) -> [UInt8] { key.sign(message) }

    /// The public key as PEM, for registering with Binance or handing to a simulator.
    public var publicKeyPEM: String { key.publicKeyPEM }
}
