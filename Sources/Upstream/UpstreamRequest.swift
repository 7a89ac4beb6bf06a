import RequestWindow

/// One call to send upstream, as the multiplexer needs it.
public struct UpstreamRequest: Sendable {
    public let method: String
    public let effect: RequestEffect
    /// Builds the text frame for one attempt under `id`. Called again for a retry, so
    /// anything time-dependent (timestamp, signature) is fresh on every attempt.
    public let encode: @Sendable (_ id: UInt64) -> [UInt8]

    public init(method: String, effect: RequestEffect, encode: @escaping @Sendable (_ id: UInt64) -> [UInt8]) {
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
