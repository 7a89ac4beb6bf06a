import Catalog
import OpenSSL

/// Client order ids the gateway assigns, so every order can be found again by the id the
/// gateway chose before sending it.
enum ClientOrderIds {
    static func isValid(_ id: String) -> Bool { ClientOrderIdPattern.matches(id) }

    /// A fresh id: `gw-` and 24 random hex digits.
    static func generate() -> String { "gw-" + Hex.encode(SecureRandom.bytes(12)) }

    /// The id an `Idempotency-Key` stands for: the key itself when Binance accepts it as an
    /// id, else `gw-` and the first 32 hex digits of its SHA-256. The same key always gives
    /// the same id, so a retry after a gateway restart is still caught by the exchange's
    /// duplicate check.
    static func from(idempotencyKey key: String) -> String {
        if isValid(key) { return key }
        return "gw-" + String(Hex.encode(Digest.sha256(Array(key.utf8))).prefix(32))
    }
}
