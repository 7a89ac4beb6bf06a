import COpenSSL

/// One `EVP_PKEY`, loaded from PEM, with the sign and verify calls the public key types share.
///
/// OpenSSL 3 allows concurrent signing with one key (each call has its own `EVP_MD_CTX`), and
/// the key never changes after loading, which is why the class may be `@unchecked Sendable`.
final class EVPKey: @unchecked Sendable {
    enum Algorithm: Sendable {
        case ed25519, rsa

        var name: String { self == .ed25519 ? "Ed25519" : "RSA" }
        var baseID: Int32 { self == .ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_RSA }
        /// Ed25519 hashes internally (no digest); Binance's RSA keys sign PKCS#1 v1.5 SHA-256.
        var digest: OpaquePointer? { self == .ed25519 ? nil : EVP_sha256() }
    }

    let pointer: OpaquePointer
    let algorithm: Algorithm

    private init(pointer: OpaquePointer, algorithm: Algorithm) {
        self.pointer = pointer
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    static func privateKey(pem: String, passphrase: String?, algorithm: Algorithm) throws(SigningKeyError) -> EVPKey {
        ERR_clear_error()
        let loaded = withMemoryBIO(pem) { bio -> OpaquePointer? in
            if let passphrase {
                // With no callback, OpenSSL reads `u` as the NUL-terminated passphrase.
                return passphrase.withCString {
                    PEM_read_bio_PrivateKey(bio, nil, nil, UnsafeMutableRawPointer(mutating: $0))
                }
            }
            // Refuse rather than let OpenSSL prompt on the terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in -1 }, nil)
        }
        guard let loaded else {
            let reason = OpenSSLError.drainErrorQueue()
            if passphrase == nil && pem.contains("ENCRYPTED") { throw .passphraseRequired }
            throw .invalidPEM(reason.isEmpty ? "no private key found" : reason)
        }
        return try checked(loaded, algorithm: algorithm)
    }

    static func publicKey(pem: String, algorithm: Algorithm) throws(SigningKeyError) -> EVPKey {
        ERR_clear_error()
        guard let loaded = withMemoryBIO(pem, { PEM_read_bio_PUBKEY($0, nil, nil, nil) }) else {
            let reason = OpenSSLError.drainErrorQueue()
            throw .invalidPEM(reason.isEmpty ? "no public key found" : reason)
        }
        return try checked(loaded, algorithm: algorithm)
    }

    private static func checked(_ pointer: OpaquePointer, algorithm: Algorithm) throws(SigningKeyError) -> EVPKey {
        let key = EVPKey(pointer: pointer, algorithm: algorithm)
        let found = EVP_PKEY_get_base_id(pointer)
        guard found == algorithm.baseID else {
            let name =
                found == EVP_PKEY_ED25519
                ? "Ed25519"
                : found == EVP_PKEY_RSA
                    ? "RSA"
                    : EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
            throw .wrongKeyType(expected: algorithm.name, found: name)
        }
        return key
    }

    /// The signature of `message`. Signing with a loaded key fails only when OpenSSL runs out
    /// of memory, which traps.
    func sign(_ message: [UInt8]) -> [UInt8] {
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, algorithm.digest, nil, pointer) == 1 else {
            fatalError("EVP_DigestSignInit: \(OpenSSLError.drainErrorQueue())")
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            fatalError("EVP_DigestSign: \(OpenSSLError.drainErrorQueue())")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            fatalError("EVP_DigestSign: \(OpenSSLError.drainErrorQueue())")
        }
        return Array(signature.prefix(length))
    }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, algorithm.digest, nil, pointer) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    /// The public half as SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    var publicKeyPEM: String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new failed") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, pointer) == 1 else {
            fatalError("PEM_write_bio_PUBKEY: \(OpenSSLError.drainErrorQueue())")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let count = BIO_read(bio, &chunk, Int32(chunk.count)), count > 0 {
            bytes.append(contentsOf: chunk.prefix(Int(count)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func withMemoryBIO<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
