import OpenSSL
import Testing

@Suite struct SigningKeyTests {
    let message = Array("apiKey=abc&symbol=BTCUSDT&timestamp=1591702613943".utf8)

    @Test func ed25519SignsAndVerifies() throws {
        let fixtures = try KeyFixtures()
        let key = try Ed25519PrivateKey(pem: try fixtures.ed25519())
        let signature = key.sign(message)
        #expect(signature.count == 64)
        #expect(key.sign(message) == signature)  // Ed25519 is deterministic
        let publicKey = try Ed25519PublicKey(pem: key.publicKeyPEM)
        #expect(key.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(publicKey.isValidSignature(signature, for: message))
        var changed = message
        changed[0] ^= 1
        #expect(!publicKey.isValidSignature(signature, for: changed))
        #expect(!publicKey.isValidSignature(Array(signature.dropLast()), for: message))
    }

    @Test func rsaSignsAndVerifies() throws {
        let fixtures = try KeyFixtures()
        let key = try RSAPrivateKey(pem: try fixtures.rsa())
        let signature = key.sign(message)
        #expect(signature.count == 256)
        let publicKey = try RSAPublicKey(pem: key.publicKeyPEM)
        #expect(publicKey.isValidSignature(signature, for: message))
        #expect(!publicKey.isValidSignature(signature, for: message + [0x26]))
    }

    @Test func signatureFromAnotherKeyDoesNotVerify() throws {
        let fixtures = try KeyFixtures()
        let signer = try Ed25519PrivateKey(pem: try fixtures.ed25519())
        let other = try Ed25519PublicKey(pem: try Ed25519PrivateKey(pem: try fixtures.ed25519()).publicKeyPEM)
        #expect(!other.isValidSignature(signer.sign(message), for: message))
    }

    @Test func wrongKeyTypeIsAClearError() throws {
        let fixtures = try KeyFixtures()
        let rsa = try fixtures.rsa()
        #expect(throws: SigningKeyError.wrongKeyType(expected: "Ed25519", found: "RSA")) {
            try Ed25519PrivateKey(pem: rsa)
        }
        let ed25519 = try fixtures.ed25519()
        let error = #expect(throws: SigningKeyError.self) { try RSAPrivateKey(pem: ed25519) }
        #expect(error?.description == "expected an RSA key, got a Ed25519 key")
        let publicPEM = try Ed25519PrivateKey(pem: ed25519).publicKeyPEM
        #expect(throws: SigningKeyError.wrongKeyType(expected: "RSA", found: "Ed25519")) {
            try RSAPublicKey(pem: publicPEM)
        }
    }

    @Test func encryptedKeysLoadWithTheirPassphrase() throws {
        let fixtures = try KeyFixtures()
        let ed25519 = try fixtures.ed25519(passphrase: "correct horse")
        #expect(ed25519.contains("ENCRYPTED"))
        let key = try Ed25519PrivateKey(pem: ed25519, passphrase: "correct horse")
        #expect(try Ed25519PublicKey(pem: key.publicKeyPEM).isValidSignature(key.sign(message), for: message))
        let rsa = try fixtures.rsa(passphrase: "s3cret")
        let rsaKey = try RSAPrivateKey(pem: rsa, passphrase: "s3cret")
        #expect(try RSAPublicKey(pem: rsaKey.publicKeyPEM).isValidSignature(rsaKey.sign(message), for: message))
    }

    @Test func encryptedKeyWithoutOrWithWrongPassphraseFails() throws {
        let fixtures = try KeyFixtures()
        let pem = try fixtures.ed25519(passphrase: "right")
        #expect(throws: SigningKeyError.passphraseRequired) { try Ed25519PrivateKey(pem: pem) }
        let error = #expect(throws: SigningKeyError.self) { try Ed25519PrivateKey(pem: pem, passphrase: "wrong") }
        guard case .invalidPEM(let reason) = error else {
            Issue.record("expected invalidPEM, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func garbageIsNotAKey() {
        let error = #expect(throws: SigningKeyError.self) { try Ed25519PrivateKey(pem: "not a key") }
        #expect(error?.description.hasPrefix("cannot read the PEM key") == true)
        #expect(throws: SigningKeyError.self) { try RSAPublicKey(pem: "") }
    }
}
