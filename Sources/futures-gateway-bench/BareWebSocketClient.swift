import HTTP1
import WebSocket

/// The minimal WebSocket client the gateway is compared with: a blocking socket, our RFC 6455
/// codec and handshake, one request frame out and its answer in per round trip.
final class BareWebSocketClient {
    let socket: BlockingSocket
    private var encoder = WebSocketFrameEncoder(role: .client)
    private var decoder = WebSocketFrameDecoder(role: .client)
    private var output: [UInt8] = []

    init(host: String, port: UInt16, path: String) throws {
        socket = try BlockingSocket(host: host, port: port)
        let (request, key) = try WebSocketHandshake.makeRequest(host: host, port: Int(port), path: path)
        try socket.write(request)
        var parser = HTTPResponseHeadParser()
        while true {
            let outcome = socket.buffer.withUnsafeBufferPointer { parser.parse($0) }
            switch outcome {
            case .incomplete:
                try socket.readMore()
            case .failure(let failure):
                throw BlockingSocket.Failure(description: "handshake: \(failure)")
            case .complete(let head, let length):
                try WebSocketHandshake.validateResponse(head, key: key)
                socket.buffer.removeFirst(length)
                return
            }
        }
    }

    /// Sends one text message and returns the next text message (pings are answered on the way).
    func roundTrip(_ text: [UInt8]) throws -> [UInt8] {
        output.removeAll(keepingCapacity: true)
        encoder.encode(opcode: .text, payload: text, into: &output)
        try socket.write(output)
        while true {
            let (consumed, event) = socket.buffer.withUnsafeBufferPointer { decoder.decode($0) }
            if consumed > 0 { socket.buffer.removeFirst(consumed) }
            switch event {
            case .needMoreData:
                if consumed == 0 { try socket.readMore() }
            case .frame(let frame) where frame.opcode == .text:
                return frame.payload
            case .frame(let frame) where frame.opcode == .ping:
                try socket.write(encoder.encode(.pong(frame.payload)))
            case .frame(let frame):
                throw BlockingSocket.Failure(description: "unexpected frame \(frame.opcode)")
            case .failure(let error):
                throw BlockingSocket.Failure(description: "WebSocket: \(error)")
            }
        }
    }

    /// Reads once (the socket must be readable) and returns every complete text message
    /// buffered since, with the kernel's arrival time of the bytes read when the socket stamps
    /// them; pings are answered on the way.
    func readMessages() throws -> (messages: [[UInt8]], arrival: UInt64?) {
        let arrival = try socket.readMoreWithArrivalTime()
        var messages: [[UInt8]] = []
        while true {
            let (consumed, event) = socket.buffer.withUnsafeBufferPointer { decoder.decode($0) }
            if consumed > 0 { socket.buffer.removeFirst(consumed) }
            switch event {
            case .needMoreData: if consumed == 0 { return (messages, arrival) }
            case .frame(let frame) where frame.opcode == .text: messages.append(frame.payload)
            case .frame(let frame) where frame.opcode == .ping: try socket.write(encoder.encode(.pong(frame.payload)))
            case .frame(let frame): throw BlockingSocket.Failure(description: "unexpected frame \(frame.opcode)")
            case .failure(let error): throw BlockingSocket.Failure(description: "WebSocket: \(error)")
            }
        }
    }
}
