import COpenSSL

/// Cryptographically secure random bytes (WebSocket keys and masks, generated ids).
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else {
            fatalError("OpenSSL RAND_bytes failed: \(OpenSSLError.drainErrorQueue())")
        }
        return bytes
    }

    public static func uint32() -> UInt32 {
        bytes(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
