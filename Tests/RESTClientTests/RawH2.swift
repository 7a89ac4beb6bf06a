import TestSupport

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

    typealias Frame = H2Frame

    /// Sends an empty SETTINGS frame (the server preface).
    func sendSettings() { send(type: 4, flags: 0, stream: 0, payload: []) }

    /// The next frame from the client; `nil` when it closed.
    mutating func nextFrame() -> Frame? {
        if !prefaceRead {
            guard fill(24) else { return nil }
            buffer.removeFirst(24)
            prefaceRead = true
        }
        var decoded = H2Frame.decode(buffer)
        while decoded == nil {
            guard fill(buffer.count + 1) else { return nil }
            decoded = H2Frame.decode(buffer)
        }
        let (frame, consumed) = decoded!
        buffer.removeFirst(consumed)
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

    func reset(_ stream: UInt32, code: UInt32) {
        send(type: 3, flags: 0, stream: stream, payload: H2Frame.bigEndian(code))
    }

    func goAway(lastStream: UInt32, code: UInt32 = 0) {
        send(type: 7, flags: 0, stream: 0, payload: H2Frame.bigEndian(lastStream) + H2Frame.bigEndian(code))
    }

    func send(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) {
        RawServer.write(fd, H2Frame(type: type, flags: flags, stream: stream, payload: payload).encoded)
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
}
