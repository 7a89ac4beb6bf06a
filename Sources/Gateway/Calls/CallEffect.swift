import Upstream

/// What a call's answer proves about its effect on the exchange. An `Idempotency-Key` keeps
/// an answer for replay only when the call may have done something; after a proven no-op the
/// key is free again, so a client's retry is not answered with a stale refusal for a day.
enum CallEffect: Sendable, Hashable {
    /// The exchange accepted it.
    case applied
    /// Nothing happened: refused locally, never sent, rejected by the exchange, or looked up
    /// afterwards and not found.
    case none
    /// Sent, and no answer says what became of it.
    case unknown

    /// An answer from the exchange: a 2xx applied; a 5xx or -1007 is Binance's "execution status
    /// unknown"; any other error was a refusal.
    init(status: Int, errorCode: Int?) {
        switch status {
        case 200..<300: self = .applied
        case 500...: self = .unknown
        default: self = errorCode == -1007 ? .unknown : .none
        }
    }

    /// No answer came: only a request that was sent may have done something.
    init(_ failure: UpstreamFailure) {
        switch failure {
        case .overloaded, .unavailable, .shuttingDown, .disconnected(outcomeUnknown: false): self = .none
        case .timedOut, .disconnected(outcomeUnknown: true): self = .unknown
        }
    }

    /// Whether an `Idempotency-Key` must keep answering with this.
    var isFinal: Bool { self != .none }
}
