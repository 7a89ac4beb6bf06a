import Foundation

/// A deliberately tiny HTTP/2 client over a `LoopbackClient`: it writes the preface and frames
/// built with `H2Frame` and reads frames back. It exists because the system curl (7.88) cannot
/// multiplex `--parallel` transfers under `--http2-prior-knowledge`.
public final class RawH2Client {
    private let connection: LoopbackClient

    public init(port: Int) throws {
        connection = try LoopbackClient(tcpPort: UInt16(port))
    }

    /// Sends `bytes`; a connection the server closed takes no more and is not an error here.
    public func send(_ bytes: [UInt8]) {
        try? connection.send(bytes)
    }

    public func send(_ frame: H2Frame) {
        send(frame.encoded)
    }

    /// The client preface and an empty SETTINGS frame.
    public func sendPreface() {
        send(H2Frame.clientPreface + H2Frame(type: 4, flags: 0, stream: 0, payload: []).encoded)
    }

    /// Reads raw bytes until the server closes (or the read times out): what arrived.
    public func readUntilClosed() -> [UInt8] {
        while (try? connection.receive()) == true {}
        defer { connection.consume(connection.buffered.count) }
        return connection.buffered
    }

    /// The next frame, or nil on close or timeout.
    public func readFrame() -> H2Frame? {
        while true {
            if let (frame, consumed) = H2Frame.decode(connection.buffered) {
                connection.consume(consumed)
                return frame
            }
            guard (try? connection.receive()) == true else { return nil }
        }
    }
}
