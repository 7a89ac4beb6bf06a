/// The payload of a close frame (RFC 6455 §5.5.1): an optional status code and a UTF-8 reason.
///
/// Both ends build and read close frames, and the rules (no 1-byte payload, no code that may
/// not go on the wire, a reason that fits a 125-byte control frame) live here once.
public struct WebSocketClosePayload: Sendable, Hashable {
    /// The status code, or `nil` for an empty payload (reported locally as 1005).
    public var code: WebSocketCloseCode?
    public var reason: String

    /// The longest reason that fits a control frame after the 2-byte code.
    public static let maxReasonLength = 123

    public init(code: WebSocketCloseCode?, reason: String = "") {
        self.code = code
        self.reason = code == nil ? "" : reason
    }

    /// Reads a received close payload.
    public init(parsing payload: some Collection<UInt8>) throws(WebSocketProtocolError) {
        let bytes = Array(payload)
        switch bytes.count {
        case 0:
            self.init(code: nil)
        case 1:
            throw .invalidClosePayload("1-byte payload")
        default:
            let code = WebSocketCloseCode(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
            guard code.isSendable else { throw .invalidClosePayload("status code \(code.rawValue) may not be sent") }
            let reason = bytes[2...]
            guard reason.withUnsafeBufferPointer(UTF8Validator.isValid) else { throw .invalidCloseReasonUTF8 }
            self.init(code: code, reason: String(decoding: reason, as: UTF8.self))
        }
    }

    /// The wire payload: empty without a code, else the code and the reason, cut at a
    /// character boundary to at most 123 bytes so the frame stays a valid control frame.
    public var bytes: [UInt8] {
        guard let code else { return [] }
        var bytes = [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)]
        var reasonLength = 0
        for scalar in reason.unicodeScalars {
            let width = UTF8.width(scalar)
            guard reasonLength + width <= Self.maxReasonLength else { break }
            reasonLength += width
        }
        bytes.append(contentsOf: reason.utf8.prefix(reasonLength))
        return bytes
    }
}
