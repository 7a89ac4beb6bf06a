/// An Ed25519 public key, so the exchange simulator can check signatures like Binance does.
public struct Ed25519PublicKey: Sendable {
    private let key: EVPKey

    /// Loads a SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    public init(pem: String) throws(SigningKeyError) {
        key = try EVPKey.publicKey(pem: pem, algorithm: .ed25519)
    }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}
