import RawJSON

/// One frame for a subscriber of a stream, in the exchange's combined form
/// `{"stream":"<name>","data":<payload>}`, with the payload's place in it, so a `/stream`
/// client gets `frame` and a `/ws/` client `payload` without another copy or parse.
public struct StreamMessage: Sendable {
    public let stream: String
    /// The combined frame: the upstream's bytes as they came, or the hub's wrapping of them.
    public let frame: [UInt8]
    public let payloadRange: Range<Int>
    /// A `gatewayGap` notice rather than an upstream event.
    public let isGap: Bool

    public init(stream: String, frame: [UInt8], payloadRange: Range<Int>, isGap: Bool = false) {
        self.stream = stream
        self.frame = frame
        self.payloadRange = payloadRange
        self.isGap = isGap
    }

    /// The stream's payload, as a `/ws/` connection sends it.
    public var payload: ArraySlice<UInt8> { frame[payloadRange] }

    /// Wraps a raw payload as `{"stream":"<stream>","data":<payload>}`; `stream` is a valid name.
    public init(stream: String, payload: some Collection<UInt8>, isGap: Bool = false) {
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + stream.utf8.count + 22)
        frame.append(contentsOf: #"{"stream":""#.utf8)
        frame.append(contentsOf: stream.utf8)
        frame.append(contentsOf: #"","data":"#.utf8)
        let start = frame.count
        frame.append(contentsOf: payload)
        let end = frame.count
        frame.append(UInt8(ascii: "}"))
        self.init(stream: stream, frame: frame, payloadRange: start..<end, isGap: isGap)
    }

    /// The gap marker: `{"e":"gatewayGap","E":<ms>,"stream":"<name>","reason":"<text>"}`. Frames
    /// were lost (the upstream connection was replaced, or a local book resynced); nothing is replayed.
    public static func gap(stream: String, reason: String, atMillis: Int64) -> StreamMessage {
        var payload = Array(#"{"e":"gatewayGap","E":"#.utf8)
        payload.append(contentsOf: String(atMillis).utf8)
        payload.append(contentsOf: #","stream":""#.utf8)
        payload.append(contentsOf: stream.utf8)
        payload.append(contentsOf: #"","reason":"#.utf8)
        JSONString.append(reason, to: &payload)
        payload.append(UInt8(ascii: "}"))
        return StreamMessage(stream: stream, payload: payload, isGap: true)
    }
}

/// Receives the frames of the streams it subscribed to, in order, gap notices included.
///
/// `receive` runs on the hub's queue and must not block: a sink hands the message to its own
/// queue (a bounded one, see `SubscriberQueue`). The order book implements it in-process.
public protocol StreamSink: AnyObject, Sendable {
    func receive(_ message: StreamMessage)
}

/// One subscription of one sink to one stream; give it back to `StreamHub.cancel`.
public struct StreamSubscription: Sendable, Hashable {
    public let id: UInt64
    public let stream: String
}
