/// Reassembles fragmented messages from decoded frames (RFC 6455 §5.4) and checks them.
///
/// The decoder knows frames; applications want messages. In between sit the fragmentation
/// rules, the message size limit, UTF-8 validation of text (§8.1) and the close payload
/// rules (§5.5.1), each a reason to fail the connection with its own close code. Control
/// frames may arrive between fragments and are handed on at once. After a failure the
/// assembler keeps answering with the same failure.
public struct WebSocketMessageAssembler: Sendable {
    /// What one frame produced.
    public enum Event: Sendable, Hashable {
        /// A fragment was taken in; the message is not complete yet.
        case needMoreFrames
        /// A complete text or binary message; text is valid UTF-8.
        case message(opcode: WebSocketOpcode, payload: [UInt8])
        /// A ping, pong or close frame; a close frame's payload has passed
        /// `WebSocketClosePayload(parsing:)`.
        case control(WebSocketFrame)
        case failure(WebSocketProtocolError)
    }

    /// Largest message, all fragments together; a larger one fails with 1009.
    public let maxMessageSize: Int

    private var opcode: WebSocketOpcode?
    /// The fragments so far; kept apart from `opcode` so it grows in place.
    private var buffer: [UInt8] = []
    private var failed: WebSocketProtocolError?

    public init(maxMessageSize: Int = 16 * 1024 * 1024) {
        self.maxMessageSize = maxMessageSize
    }

    /// True while a fragmented message is in progress.
    public var isAssembling: Bool { opcode != nil }

    /// Takes the next frame from the decoder.
    public mutating func push(_ frame: WebSocketFrame) -> Event {
        if let failed { return .failure(failed) }
        do throws(WebSocketProtocolError) {
            return try accept(frame)
        } catch {
            failed = error
            opcode = nil
            buffer = []
            return .failure(error)
        }
    }

    private mutating func accept(_ frame: WebSocketFrame) throws(WebSocketProtocolError) -> Event {
        switch frame.opcode {
        case .close:
            _ = try WebSocketClosePayload(parsing: frame.payload)
            return .control(frame)
        case .ping, .pong:
            return .control(frame)
        case .text, .binary:
            guard opcode == nil else { throw .unfinishedMessage }
            guard frame.payload.count <= maxMessageSize else { throw .messageTooLarge(limit: maxMessageSize) }
            if frame.fin {
                try Self.validate(frame.payload, opcode: frame.opcode)
                return .message(opcode: frame.opcode, payload: frame.payload)
            }
            opcode = frame.opcode
            buffer = frame.payload
            return .needMoreFrames
        case .continuation:
            guard let opcode else { throw .unexpectedContinuation }
            guard frame.payload.count <= maxMessageSize - buffer.count else {
                throw .messageTooLarge(limit: maxMessageSize)
            }
            buffer.append(contentsOf: frame.payload)
            guard frame.fin else { return .needMoreFrames }
            try Self.validate(buffer, opcode: opcode)
            let message = Event.message(opcode: opcode, payload: buffer)
            self.opcode = nil
            buffer = []
            return message
        }
    }

    private static func validate(_ payload: [UInt8], opcode: WebSocketOpcode) throws(WebSocketProtocolError) {
        if opcode == .text && !UTF8Validator.isValid(payload) { throw .invalidUTF8 }
    }
}
