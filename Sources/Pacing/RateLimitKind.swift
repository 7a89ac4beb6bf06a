/// What an upstream limit counts: request weight (per IP) or new orders (per account).
/// The raw values are Binance's `rateLimitType` names.
public enum RateLimitKind: String, Sendable, Hashable, CaseIterable {
    case requestWeight = "REQUEST_WEIGHT"
    case orders = "ORDERS"
}
