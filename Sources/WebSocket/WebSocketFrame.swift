/// One WebSocket frame, unmasked: what the decoder yields and the encoder takes.
///
/// The mask is a wire detail chosen by the encoder, so it is not part of the frame; the RSV
/// bits are always zero because we negotiate no extension.
public struct WebSocketFrame: Sendable, Hashable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8] = []) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    public static func text(_ text: String) -> WebSocketFrame {
        WebSocketFrame(opcode: .text, payload: Array(text.utf8))
    }

    public static func binary(_ payload: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(opcode: .binary, payload: payload)
    }

    public static func ping(_ payload: [UInt8] = []) -> WebSocketFrame {
        WebSocketFrame(opcode: .ping, payload: payload)
    }

    public static func pong(_ payload: [UInt8] = []) -> WebSocketFrame {
        WebSocketFrame(opcode: .pong, payload: payload)
    }

    /// A close frame; `nil` sends an empty payload (no status code).
    public static func close(_ code: WebSocketCloseCode? = .normalClosure, reason: String = "") -> WebSocketFrame {
        let payload = code.map { WebSocketClosePayload(code: $0, reason: reason).bytes } ?? []
        return WebSocketFrame(opcode: .close, payload: payload)
    }
}
