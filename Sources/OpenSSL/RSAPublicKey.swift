/// An RSA public key, so the exchange simulator can check signatures like Binance does.
public struct RSAPublicKey: Sendable {
    private let key: EVPKey

    /// Loads a SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    public init(pem: String) throws(SigningKeyError) {
        key = try EVPKey.publicKey(pem: pem, algorithm: .rsa)
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: message)
    }
}
