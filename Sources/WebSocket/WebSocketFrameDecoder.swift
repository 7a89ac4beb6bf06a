/// Decodes WebSocket frames incrementally (RFC 6455 §5.2), one event per call.
///
/// Bytes in, frames out, no sockets: the connection appends what it reads to a buffer, calls
/// `decode` and drops the bytes it reports consumed, until it gets `.needMoreData` with
/// nothing consumed. Every header rule is checked as soon as the byte that decides it arrives,
/// so the outcome never depends on how the stream was split into reads. After a failure the
/// decoder keeps answering with the same failure.
public struct WebSocketFrameDecoder: Sendable {
    /// What one call produced: nothing yet, one frame, or the failure that ends the connection.
    public enum Event: Sendable, Hashable {
        case needMoreData
        case frame(WebSocketFrame)
        case failure(WebSocketProtocolError)
    }

    public let role: WebSocketRole
    /// Largest payload of one frame; a larger one fails with 1009 before any of it is read.
    public let maxFrameSize: Int

    private struct Header {
        var fin: Bool
        var opcode: WebSocketOpcode
        var mask: WebSocketMask?
        var length: Int
    }

    private enum State {
        case header
        case payload(Header)
        case failed(WebSocketProtocolError)
    }

    private var state = State.header
    /// The payload read so far; kept out of `state` so it grows in place.
    private var payload: [UInt8] = []

    public init(role: WebSocketRole, maxFrameSize: Int = 16 * 1024 * 1024) {
        self.role = role
        self.maxFrameSize = maxFrameSize
    }

    /// Decodes from `bytes` (everything received and not yet consumed).
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (consumed: Int, event: Event) {
        switch state {
        case .failed(let error):
            return (0, .failure(error))
        case .payload(let header):
            return readPayload(header, from: bytes, consumedBefore: 0)
        case .header:
            switch Self.parseHeader(bytes, role: role, maxFrameSize: maxFrameSize) {
            case .incomplete:
                return (0, .needMoreData)
            case .failure(let error):
                state = .failed(error)
                return (0, .failure(error))
            case .header(let header, let headerLength):
                payload = []
                // Reserve up front, but not more than a peer can make us hold by merely claiming it.
                payload.reserveCapacity(min(header.length, 1 << 20))
                return readPayload(
                    header, from: UnsafeBufferPointer(rebasing: bytes[headerLength...]),
                    consumedBefore: headerLength)
            }
        }
    }

    public mutating func decode(_ bytes: [UInt8]) -> (consumed: Int, event: Event) {
        bytes.withUnsafeBufferPointer { decode($0) }
    }

    private mutating func readPayload(
        _ header: Header, from bytes: UnsafeBufferPointer<UInt8>,
        consumedBefore: Int
    ) -> (consumed: Int, event: Event) {
        let take = min(header.length - payload.count, bytes.count)
        if take > 0 {
            let start = payload.count
            payload.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<take]))
            header.mask?.apply(to: &payload, in: start..<payload.count, offset: start)
        }
        guard payload.count == header.length else {
            state = .payload(header)
            return (consumedBefore + take, .needMoreData)
        }
        let frame = WebSocketFrame(fin: header.fin, opcode: header.opcode, payload: payload)
        payload = []
        state = .header
        return (consumedBefore + take, .frame(frame))
    }

    private enum HeaderOutcome {
        case incomplete
        case header(Header, length: Int)
        case failure(WebSocketProtocolError)
    }

    /// Parses a frame header, checking each rule as soon as its bytes are present.
    private static func parseHeader(
        _ bytes: UnsafeBufferPointer<UInt8>, role: WebSocketRole,
        maxFrameSize: Int
    ) -> HeaderOutcome {
        guard bytes.count >= 1 else { return .incomplete }
        let first = bytes[0]
        let fin = first & 0x80 != 0
        guard first & 0x70 == 0 else { return .failure(.reservedBitsSet) }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            return .failure(.unknownOpcode(first & 0x0F))
        }
        if opcode.isControl && !fin { return .failure(.fragmentedControlFrame) }

        guard bytes.count >= 2 else { return .incomplete }
        let second = bytes[1]
        let masked = second & 0x80 != 0
        switch role {
        case .client where masked: return .failure(.maskedFrameFromServer)
        case .server where !masked: return .failure(.unmaskedFrameFromClient)
        default: break
        }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl && shortLength > 125 { return .failure(.controlFrameTooLong(length: shortLength)) }

        var offset = 2
        var length = UInt64(shortLength)
        if shortLength >= 126 {
            let width = shortLength == 126 ? 2 : 8
            guard bytes.count >= offset + width else { return .incomplete }
            length = 0
            for byte in bytes[offset..<(offset + width)] { length = length << 8 | UInt64(byte) }
            offset += width
            if width == 8 && length >> 63 != 0 {
                return .failure(.invalidLength("64-bit length with the most significant bit set"))
            }
            if length < (width == 2 ? 126 : 0x1_0000) {
                return .failure(.invalidLength("\(length) not in its minimal encoding"))
            }
        }
        guard length <= UInt64(maxFrameSize) else {
            return .failure(.frameTooLarge(length: length, limit: maxFrameSize))
        }

        var mask: WebSocketMask?
        if masked {
            guard bytes.count >= offset + 4 else { return .incomplete }
            mask = WebSocketMask(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3])
            offset += 4
        }
        return .header(Header(fin: fin, opcode: opcode, mask: mask, length: Int(length)), length: offset)
    }
}
