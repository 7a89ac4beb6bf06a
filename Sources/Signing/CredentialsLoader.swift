import FoundationEssentials
import OpenSSL

/// Reads credentials from the environment, the way the README documents them:
/// `BINANCE_API_KEY` with `BINANCE_API_SECRET` (HMAC), or with `BINANCE_PRIVATE_KEY_FILE`
/// (PEM, Ed25519 or RSA) and an optional `BINANCE_PRIVATE_KEY_PASSPHRASE`.
public enum CredentialsLoader {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case incomplete(String)
        case unreadableKeyFile(path: String, reason: String)
        case keyFile(SecretFile.Failure)

        public var description: String {
            switch self {
            case .incomplete(let why): why
            case .unreadableKeyFile(let path, let reason): "cannot use the private key file \(path): \(reason)"
            case .keyFile(let failure): failure.description
            }
        }
    }

    /// Nil when no `BINANCE_API_KEY` is set.
    public static func load(from environment: [String: String]) throws(Failure) -> Credentials? {
        guard let apiKey = environment["BINANCE_API_KEY"], !apiKey.isEmpty else {
            if environment["BINANCE_API_SECRET"] != nil || environment["BINANCE_PRIVATE_KEY_FILE"] != nil {
                throw .incomplete("BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE is set but BINANCE_API_KEY is not")
            }
            return nil
        }
        let secret = environment["BINANCE_API_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        let keyFile = environment["BINANCE_PRIVATE_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (secret, keyFile) {
        case (let secret?, nil):
            return Credentials(apiKey: apiKey, key: .hmac(secret: Array(secret.utf8)))
        case (nil, let path?):
            return Credentials(
                apiKey: apiKey,
                key: try privateKey(
                    path: path,
                    passphrase: environment["BINANCE_PRIVATE_KEY_PASSPHRASE"]))
        case (.some, .some):
            throw .incomplete("set BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE, not both")
        case (nil, nil):
            throw .incomplete("BINANCE_API_KEY needs BINANCE_API_SECRET or BINANCE_PRIVATE_KEY_FILE")
        }
    }

    /// An Ed25519 or RSA private key from a PEM file that only its owner can read.
    public static func privateKey(path: String, passphrase: String?) throws(Failure) -> Credentials.Key {
        let pem: String
        do { pem = try SecretFile.read(path, what: "private key file") } catch { throw .keyFile(error) }
        if let key = try? Ed25519PrivateKey(pem: pem, passphrase: passphrase) { return .ed25519(key) }
        do {
            return .rsa(try RSAPrivateKey(pem: pem, passphrase: passphrase))
        } catch {
            throw .unreadableKeyFile(path: path, reason: "not an Ed25519 or RSA private key, or wrong passphrase")
        }
    }
}
