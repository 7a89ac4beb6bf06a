import Foundation
import WebSocket

/// A blocking WebSocket client on loopback: our frame codec over a `LoopbackClient`, whose
/// receive timeout makes a silent server fail the test instead of hanging it.
public final class LoopbackWebSocket {
    public struct Failure: Error {
        public let why: String
        public init(why: String) { self.why = why }
    }

    public let connection: LoopbackClient
    private var encoder = WebSocketFrameEncoder(role: .client)
    private var decoder = WebSocketFrameDecoder(role: .client)
    /// The close code of the server's close frame, once one came.
    public private(set) var closeCode: UInt16?
    public private(set) var closeReason: String?

    /// Connects and completes the opening handshake on `path`; a refusal throws with its head.
    public init(port: UInt16, path: String, timeoutSeconds: Int = 5, receiveBufferSize: Int32? = nil) throws {
        connection = try LoopbackClient(
            .tcp(port: port), timeout: .seconds(timeoutSeconds), receiveBufferSize: receiveBufferSize)
        let (request, _) = try WebSocketHandshake.makeRequest(host: "127.0.0.1", port: Int(port), path: path)
        write(request)
        let head: String
        do {
            head = try connection.readHead()
        } catch {
            throw Failure(why: "closed during the handshake")
        }
        guard head.hasPrefix("HTTP/1.1 101") else { throw Failure(why: "handshake: \(head)") }
    }

    public func send(_ text: String) {
        write(encoder.encode(.text(text)))
    }

    /// The next text message, or `nil` once the socket is closed (or nothing came in time).
    public func receive() -> String? {
        while true {
            let (consumed, event) = decoder.decode(connection.buffered)
            connection.consume(consumed)
            switch event {
            case .frame(let frame) where frame.opcode == .text: return String(decoding: frame.payload, as: UTF8.self)
            case .frame(let frame) where frame.opcode == .close:
                if frame.payload.count >= 2 {
                    closeCode = UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])
                    closeReason = String(decoding: frame.payload.dropFirst(2), as: UTF8.self)
                }
                return nil
            case .frame: continue
            case .failure: return nil
            case .needMoreData: guard (try? connection.receive()) == true else { return nil }
            }
        }
    }

    /// The next text message if one starts arriving within `timeout`, else `nil` (a silent stream).
    public func receive(within timeout: Duration) -> String? {
        if connection.buffered.isEmpty, !connection.isReadable(within: timeout) {
            return nil
        }
        return receive()
    }

    /// The next text message, parsed as a JSON object (`nil` for anything else or nothing).
    public func receiveObject(within timeout: Duration = .seconds(5)) -> [String: Any]? {
        receive(within: timeout).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Sends `text` and waits for the answer, parsed.
    public func call(_ text: String) -> [String: Any]? {
        send(text)
        return receiveObject()
    }

    private func write(_ bytes: [UInt8]) {
        try? connection.send(bytes)
    }
}
