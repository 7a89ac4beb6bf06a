/// Why a signing key could not be loaded: the PEM, its passphrase, or its algorithm.
///
/// A key is configured by an operator, so each case says what to fix.
public enum SigningKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a readable PEM key of the expected kind (OpenSSL's reason attached).
    case invalidPEM(String)
    /// The PEM is encrypted and no passphrase was given.
    case passphraseRequired
    /// A valid key of another algorithm, for example an RSA key where Ed25519 was asked for.
    case wrongKeyType(expected: String, found: String)

    public var description: String {
        switch self {
        case .invalidPEM(let reason): "cannot read the PEM key: \(reason)"
        case .passphraseRequired: "the PEM key is encrypted; a passphrase is required"
        case .wrongKeyType(let expected, let found): "expected an \(expected) key, got a \(found) key"
        }
    }
}
