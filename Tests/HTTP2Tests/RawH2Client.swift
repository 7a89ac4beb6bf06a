import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately tiny HTTP/2 client over a blocking loopback socket: it writes the preface and
/// GET HEADERS frames (HPACK literals, no Huffman) and reads frames back. It exists because the
/// system curl (7.88) cannot multiplex `--parallel` transfers under `--http2-prior-knowledge`.
final class RawH2Client {
    struct Frame { let type: UInt8; let flags: UInt8; let stream: UInt32; let payload: [UInt8] }

    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// The client preface and an empty SETTINGS frame.
    func sendPreface() {
        send(Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + Self.frame(type: 4, flags: 0, stream: 0, payload: []))
    }

    /// HEADERS (END_STREAM | END_HEADERS) for `GET path`.
    static func getHeaders(stream: UInt32, path: String) -> [UInt8] {
        var block: [UInt8] = [0x82, 0x86]  // :method GET, :scheme http (static table)
        block += [0x04, UInt8(path.utf8.count)] + Array(path.utf8)  // :path, literal value
        block += [0x01, 9] + Array("127.0.0.1".utf8)  // :authority
        return frame(type: 1, flags: 0x5, stream: stream, payload: block)
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)]
            + payload
    }

    /// Reads raw bytes until the server closes (or the read times out): what arrived.
    func readUntilClosed() -> [UInt8] {
        var received = buffer
        buffer = []
        while true {
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return received }
            received += chunk[..<count]
        }
    }

    /// The next frame, or nil on close or timeout.
    func readFrame() -> Frame? {
        while true {
            if buffer.count >= 9 {
                let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
                if buffer.count >= 9 + length {
                    let stream = UInt32(buffer[5] & 0x7F) << 24 | UInt32(buffer[6]) << 16 | UInt32(buffer[7]) << 8 | UInt32(buffer[8])
                    let frame = Frame(type: buffer[3], flags: buffer[4], stream: stream, payload: Array(buffer[9..<9 + length]))
                    buffer.removeFirst(9 + length)
                    return frame
                }
            }
            var chunk = [UInt8](repeating: 0, count: 16_384)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            buffer += chunk[..<count]
        }
    }
}
