import COpenSSL

/// One-shot message digests and HMAC from the system OpenSSL.
public enum Digest {
    /// SHA-1, as the WebSocket handshake needs it (RFC 6455 §4.2.2); not for security.
    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        Array(bytes).withUnsafeBufferPointer { input in
            _ = SHA1(input.baseAddress, input.count, &digest)
        }
        return digest
    }

    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        Array(bytes).withUnsafeBufferPointer { input in
            _ = SHA256(input.baseAddress, input.count, &digest)
        }
        return digest
    }

    /// HMAC-SHA256 of `message` under `key`: Binance's signature for HMAC API keys.
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let key = Array(key)
        let message = Array(message)
        key.withUnsafeBufferPointer { key in
            message.withUnsafeBufferPointer { message in
                _ = HMAC(
                    EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress, message.count,
                    &digest, &length)
            }
        }
        return Array(digest.prefix(Int(length)))
    }
}

/// Lowercase hexadecimal, as Binance expects HMAC signatures.
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
