/// One call to send upstream, as the multiplexer needs it.
public struct UpstreamRequest: Sendable {
    /// Whether sending the request twice could do something twice.
    public enum Effect: Sendable, Hashable {
        /// Safe to resend after a disconnect (market data, queries).
        case readOnly
        /// Orders, leverage, margin: never resent blindly.
        case stateChanging
    }

    public let method: String
    public let effect: Effect
    /// Builds the text frame for one attempt under `id`. Called again for a retry, so
    /// anything time-dependent (timestamp, signature) is fresh on every attempt.
    public let encode: @Sendable (_ id: UInt64) -> [UInt8]

    public init(method: String, effect: Effect, encode: @escaping @Sendable (_ id: UInt64) -> [UInt8]) {
        self.method = method
        self.effect = effect
        self.encode = encode
    }
}

/// An answer from upstream: the whole frame and where its parts are.
public struct UpstreamReply: Sendable {
    public let frame: [UInt8]
    public let envelope: UpstreamEnvelope

    public init(frame: [UInt8], envelope: UpstreamEnvelope) {
        self.frame = frame
        self.envelope = envelope
    }

    public var status: Int { envelope.status }

    /// `result` on success, the `{"code","msg"}` object on failure, sliced, not copied.
    public var body: ArraySlice<UInt8> {
        if let range = envelope.result ?? envelope.error { return frame[range] }
        return []
    }

    public var rateLimits: ArraySlice<UInt8>? { envelope.rateLimits.map { frame[$0] } }
}

/// Why a request got no answer from upstream. Each request gets exactly one outcome.
public enum UpstreamFailure: Error, Sendable, Hashable {
    /// The in-flight window and the wait queue are both full.
    case overloaded
    /// No connection carried the request before its deadline; it was never sent.
    case unavailable
    /// Sent, but no answer came before the deadline.
    case timedOut
    /// The connection died with the request in flight. For a state-changing call the
    /// outcome is unknown: it may or may not have been executed.
    case disconnected(outcomeUnknown: Bool)
    /// The gateway is stopping.
    case shuttingDown
}
