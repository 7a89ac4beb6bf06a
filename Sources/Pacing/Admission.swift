/// The answer of `RateLimitGuard.admit`: send the request, or refuse it locally (the gateway
/// answers 429 with `Retry-After`) because it would break an upstream limit or a hold is on.
public enum Admission: Sendable, Equatable {
    case allowed
    /// `retryAfterMillis` (at least 1) is when the window ends or the hold expires.
    case refused(kind: RateLimitKind, retryAfterMillis: Int64, reason: String)
}
