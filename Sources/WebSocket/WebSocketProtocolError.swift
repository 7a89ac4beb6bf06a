/// Why a peer's frames were refused, with the close code to send back (RFC 6455 §7.4.1).
///
/// Every case fails the connection: after a framing error the byte stream cannot be
/// resynchronised, and after a message error the peer is not speaking the protocol.
public enum WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An RSV bit set without a negotiated extension.
    case reservedBitsSet
    case unknownOpcode(UInt8)
    /// A control frame without FIN.
    case fragmentedControlFrame
    /// A control frame with more than 125 bytes of payload.
    case controlFrameTooLong(length: Int)
    /// A client received a masked frame from its server.
    case maskedFrameFromServer
    /// A server received an unmasked frame from its client.
    case unmaskedFrameFromClient
    /// A payload length not in its minimal encoding, or a 64-bit length with the top bit set.
    case invalidLength(String)
    case frameTooLarge(length: UInt64, limit: Int)
    case messageTooLarge(limit: Int)
    /// A continuation frame with no message in progress.
    case unexpectedContinuation
    /// A text or binary frame while a fragmented message is still in progress.
    case unfinishedMessage
    case invalidUTF8
    /// A close payload of one byte, or with a code no endpoint may send.
    case invalidClosePayload(String)
    case invalidCloseReasonUTF8

    /// The status code to close the connection with.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .frameTooLarge, .messageTooLarge: .messageTooBig
        case .invalidUTF8, .invalidCloseReasonUTF8: .invalidFramePayloadData
        default: .protocolError
        }
    }

    public var description: String {
        switch self {
        case .reservedBitsSet: "RSV bits set but no extension was negotiated"
        case .unknownOpcode(let opcode): "unknown opcode 0x\(String(opcode, radix: 16))"
        case .fragmentedControlFrame: "fragmented control frame"
        case .controlFrameTooLong(let length): "control frame payload of \(length) bytes (at most 125)"
        case .maskedFrameFromServer: "masked frame from the server"
        case .unmaskedFrameFromClient: "unmasked frame from the client"
        case .invalidLength(let why): "invalid payload length: \(why)"
        case .frameTooLarge(let length, let limit): "frame of \(length) bytes exceeds the \(limit)-byte limit"
        case .messageTooLarge(let limit): "message exceeds the \(limit)-byte limit"
        case .unexpectedContinuation: "continuation frame without a message in progress"
        case .unfinishedMessage: "new data frame before the fragmented message finished"
        case .invalidUTF8: "text message is not valid UTF-8"
        case .invalidClosePayload(let why): "invalid close frame: \(why)"
        case .invalidCloseReasonUTF8: "close reason is not valid UTF-8"
        }
    }
}
