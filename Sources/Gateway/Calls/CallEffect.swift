import RequestWindow
import Upstream

/// What a call's answer proves about its effect on the exchange: the gateway's one outcome
/// vocabulary, sent as `X-Gateway-Outcome` on every answer to a state-changing call and as
/// `"outcome"` in its JSON error body.
///
/// `rejected` and `notSent` prove that nothing happened: both are safe to retry, and an
/// `Idempotency-Key` is free again after them. `applied` and `unknown` are kept for the key.
/// `unknown` is said only after the gateway tried to look the outcome up and could not.
enum CallEffect: String, Sendable, Hashable, CaseIterable {
    /// The exchange accepted it (or a lookup found it done).
    case applied
    /// The exchange (or its edge) refused it; nothing happened.
    case rejected
    /// It never reached the exchange, was refused locally, or a lookup proved it never took effect.
    case notSent = "not-sent"
    /// Sent, and neither an answer nor a lookup says what became of it.
    case unknown

    /// An answer from the exchange: a 2xx applied; a 5xx or -1007 is Binance's "execution status
    /// unknown"; any other error was a refusal.
    init(status: Int, errorCode: Int?) {
        switch status {
        case 200..<300: self = .applied
        case 500...: self = .unknown
        default: self = errorCode == -1007 ? .unknown : .rejected
        }
    }

    /// No answer came: only a request that was sent may have done something.
    init(_ failure: UpstreamFailure) {
        switch failure {
        case .overloaded, .unavailable, .shuttingDown, .disconnected(outcomeUnknown: false): self = .notSent
        case .timedOut, .disconnected(outcomeUnknown: true): self = .unknown
        }
    }

    /// Whether an `Idempotency-Key` must keep answering with this.
    var isFinal: Bool { self == .applied || self == .unknown }

    /// The word on the wire (`X-Gateway-Outcome`, the error body's `"outcome"`, the journal).
    var word: String { rawValue }
}
