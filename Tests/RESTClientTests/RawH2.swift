#if canImport(Glibc)
import Glibc
#endif

/// Just enough HTTP/2 framing to script a server on a `RawServer` connection: read the
/// client's preface and frames, send SETTINGS, answer or refuse a stream, send GOAWAY.
struct RawH2 {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var prefaceRead = false

    init(fd: Int32) {
        self.fd = fd
    }

    struct Frame {
        let type: UInt8
        let flags: UInt8
        let stream: UInt32
        let payload: [UInt8]
    }

    /// Sends an empty SETTINGS frame (the server preface).
    func sendSettings() { send(type: 4, flags: 0, stream: 0, payload: []) }

    /// The next frame from the client; `nil` when it closed.
    mutating func nextFrame() -> Frame? {
        if !prefaceRead {
            guard fill(24) else { return nil }
            buffer.removeFirst(24)
            prefaceRead = true
        }
        guard fill(9) else { return nil }
        let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
        guard fill(9 + length) else { return nil }
        let stream = (UInt32(buffer[5]) << 24 | UInt32(buffer[6]) << 16 | UInt32(buffer[7]) << 8 | UInt32(buffer[8])) & 0x7FFF_FFFF
        let frame = Frame(type: buffer[3], flags: buffer[4], stream: stream, payload: Array(buffer[9..<(9 + length)]))
        buffer.removeFirst(9 + length)
        if frame.type == 4 && frame.flags & 1 == 0 { send(type: 4, flags: 1, stream: 0, payload: []) }  // SETTINGS ack
        return frame
    }

    /// The next request HEADERS frame's stream; `nil` when the client closed.
    mutating func nextRequest() -> UInt32? {
        while let frame = nextFrame() {
            if frame.type == 1 { return frame.stream }
        }
        return nil
    }

    /// A 200 response with `body` (":status: 200" is HPACK static index 8: one byte, 0x88).
    func respond(_ stream: UInt32, body: String) {
        send(type: 1, flags: 4, stream: stream, payload: [0x88])
        send(type: 0, flags: 1, stream: stream, payload: Array(body.utf8))
    }

    func reset(_ stream: UInt32, code: UInt32) { send(type: 3, flags: 0, stream: stream, payload: Self.be32(code)) }

    func goAway(lastStream: UInt32, code: UInt32 = 0) {
        send(type: 7, flags: 0, stream: 0, payload: Self.be32(lastStream) + Self.be32(code))
    }

    func send(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) {
        let length = payload.count
        let header: [UInt8] = [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
        RawServer.write(fd, header + Self.be32(stream) + payload)
    }

    private mutating func fill(_ count: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while buffer.count < count {
            let received = recv(fd, &chunk, chunk.count, 0)
            guard received > 0 else { return false }
            buffer += chunk[..<received]
        }
        return true
    }

    private static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
