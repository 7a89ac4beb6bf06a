import Foundation
import OpenSSL
import Testing

@testable import Simulator

/// Ed25519 and RSA request signatures: base64 over the same payload as HMAC.
@Suite struct AsymmetricSignatureTests {
    typealias S = AuthTestSupport

    @Test func ed25519AndRSASignaturesVerify() throws {
        let ed = try S.ed25519Key()
        let rsa = try S.rsaKey()
        let authenticator = S.authenticator([
            "ED": .ed25519(try Ed25519PublicKey(pem: ed.publicKeyPEM)),
            "RSA": .rsa(try RSAPublicKey(pem: rsa.publicKeyPEM)),
        ])
        for (name, sign) in [("ED", ed.sign), ("RSA", rsa.sign)] as [(String, ([UInt8]) -> [UInt8])] {
            let fields = #""apiKey":"\#(name)","price":"42088.0","symbol":"BTCUSDT","timestamp":\#(S.now)"#
            let good = try S.signedBase64(fields, sign: sign)
            #expect(try authenticator.authenticate(good, security: .signed, session: nil, now: S.now).get() == name)

            // Signed by another key of the same kind.
            let other = name == "ED" ? try S.ed25519Key().sign : try S.rsaKey().sign
            let forged = try S.signedBase64(fields, sign: other)
            #expect(
                authenticator.authenticate(forged, security: .signed, session: nil, now: S.now).failure
                    == .invalidSignature)

            // python-binance percent-encodes `+ / =` in the signature: Binance cannot decode that.
            let signature = good["signature"]!
            let mangled = signature.replacingOccurrences(of: "=", with: "%3D").replacingOccurrences(
                of: "+", with: "%2B"
            )
            .replacingOccurrences(of: "/", with: "%2F")
            if mangled != signature {
                let sent = try S.params(#"{\#(fields),"signature":"\#(mangled)"}"#)
                #expect(
                    authenticator.authenticate(sent, security: .signed, session: nil, now: S.now).failure
                        == .invalidSignature)
            }
            // Hex is not base64 of a valid signature.
            let hex = try S.params(#"{\#(fields),"signature":"\#(Hex.encode(sign(Array("x".utf8))))"}"#)
            #expect(
                authenticator.authenticate(hex, security: .signed, session: nil, now: S.now).failure
                    == .invalidSignature)
        }
    }

    @Test func keyFileLoadsAllThreeTypes() throws {
        let ed = try S.ed25519Key()
        let rsa = try S.rsaKey()
        func line(_ object: [String: String]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let text = [
            "# simulator keys",
            try line(["apiKey": "H", "type": "hmac", "secret": "s3cret"]),
            "",
            try line(["apiKey": "E", "type": "ed25519", "publicKeyPEM": ed.publicKeyPEM]),
            try line(["apiKey": "R", "type": "rsa", "publicKeyPEM": rsa.publicKeyPEM]),
        ].joined(separator: "\n")
        let keys = try SimulatorKeys(keyFile: text)
        #expect(keys.credentials.count == 3)
        guard case .hmac(let secret) = keys["H"] else {
            Issue.record("H is not HMAC")
            return
        }
        #expect(secret == Array("s3cret".utf8))
        let authenticator = RequestAuthenticator(keys: keys)
        let signed = try S.signedBase64(#""apiKey":"E","timestamp":\#(S.now)"#, sign: ed.sign)
        #expect(try authenticator.authenticate(signed, security: .signed, session: nil, now: S.now).get() == "E")

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SimulatorKeys(contentsOfFile: path).credentials.count == 3)
    }

    @Test func keyFileErrorsNameTheLine() throws {
        let rsaPEM = try S.rsaKey().publicKeyPEM
        // An RSA public key declared as ed25519.
        let edLine = String(
            decoding: try JSONSerialization.data(withJSONObject: [
                "apiKey": "E", "type": "ed25519", "publicKeyPEM": rsaPEM,
            ]), as: UTF8.self)
        let cases: [(String, Int)] = [
            (#"{"apiKey":"A","type":"hmac","secret":"x"}"# + "\n" + #"{"apiKey":"A","type":"hmac","secret":"y"}"#, 2),
            ("\n" + #"{"apiKey":"A","type":"dsa","secret":"x"}"#, 2),
            (#"{"apiKey":"A","type":"hmac"}"#, 1),
            (#"{"type":"hmac","secret":"x"}"#, 1),
            ("not json", 1),
            (#"{"apiKey":"E","type":"ed25519","publicKeyPEM":"junk"}"#, 1),
            (edLine, 1),
        ]
        for (text, line) in cases {
            #expect(throws: SimulatorKeyFileError.self) { try SimulatorKeys(keyFile: text) }
            do {
                _ = try SimulatorKeys(keyFile: text)
            } catch {
                #expect(error.line == line, "\(error)")
            }
        }
        #expect(throws: SimulatorKeyFileError.self) { try SimulatorKeys(contentsOfFile: "/nonexistent/keys.jsonl") }
    }

    @Test func generatedKeysLookLikeBinanceKeysAndWork() throws {
        let generated = SimulatorKeys.generate()
        let alphanumerics = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        for text in [generated.apiKey, generated.secret] {
            #expect(text.count == 64)
            #expect(text.allSatisfy(alphanumerics.contains))
        }
        #expect(generated.apiKey != generated.secret)
        #expect(SimulatorKeys.generate().apiKey != generated.apiKey)
        let signed = try S.signedHMAC(
            #""apiKey":"\#(generated.apiKey)","timestamp":\#(S.now)"#, secret: generated.secret)
        let result = RequestAuthenticator(keys: generated.keys).authenticate(
            signed, security: .signed, session: nil, now: S.now)
        #expect(try result.get() == generated.apiKey)
    }
}
