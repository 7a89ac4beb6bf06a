/// Bytes in, messages out: the frame decoder and the message assembler behind one buffer.
///
/// Both ends of a connection read this way (the upstream client and the simulator's server),
/// so the loop that feeds one into the other lives here once.
public struct WebSocketReader: Sendable {
    public enum Event: Sendable, Hashable {
        /// A complete text or binary message.
        case message(opcode: WebSocketOpcode, payload: [UInt8])
        /// A ping, pong or close frame (close payloads already validated).
        case control(WebSocketFrame)
        /// The stream broke a rule; close with the error's code. Every later call repeats it.
        case failure(WebSocketProtocolError)
    }

    private var decoder: WebSocketFrameDecoder
    private var assembler: WebSocketMessageAssembler
    private var input: [UInt8] = []
    private var start = 0
    private var failed: WebSocketProtocolError?

    public init(role: WebSocketRole, maxMessageSize: Int = 16 * 1024 * 1024) {
        decoder = WebSocketFrameDecoder(role: role, maxFrameSize: maxMessageSize)
        assembler = WebSocketMessageAssembler(maxMessageSize: maxMessageSize)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        input.append(contentsOf: bytes)
    }

    /// The next event, or `nil` until more bytes arrive.
    public mutating func next() -> Event? {
        if let failed { return .failure(failed) }
        while true {
            let (consumed, event) = input.withUnsafeBufferPointer {
                decoder.decode(UnsafeBufferPointer(rebasing: $0[start...]))
            }
            start += consumed
            switch event {
            case .needMoreData:
                if consumed > 0 { continue }
                input.removeFirst(start)
                start = 0
                return nil
            case .failure(let error):
                failed = error
                return .failure(error)
            case .frame(let frame):
                switch assembler.push(frame) {
                case .needMoreFrames: continue
                case .message(let opcode, let payload): return .message(opcode: opcode, payload: payload)
                case .control(let control): return .control(control)
                case .failure(let error):
                    failed = error
                    return .failure(error)
                }
            }
        }
    }
}
