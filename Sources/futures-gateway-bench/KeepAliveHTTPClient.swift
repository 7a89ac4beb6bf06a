import HTTP1

/// A minimal HTTP/1.1 keep-alive client: one blocking connection, one request at a time,
/// the response read to its `Content-Length`.
final class KeepAliveHTTPClient {
    struct Response {
        let status: Int
        let body: ArraySlice<UInt8>
    }

    private let socket: BlockingSocket
    private let host: String

    init(host: String, port: UInt16) throws {
        socket = try BlockingSocket(host: host, port: port)
        self.host = "\(host):\(port)"
    }

    /// The bytes of a request; build once, send many times.
    func request(method: String, target: String, body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        if !body.isEmpty || method == "POST" {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        return Array((head + "\r\n").utf8) + body
    }

    /// Writes `request` and reads one response.
    func roundTrip(_ request: [UInt8]) throws -> Response {
        try socket.write(request)
        return try readResponse()
    }

    func readResponse() throws -> Response {
        var parser = HTTPResponseHeadParser()
        while true {
            let outcome = socket.buffer.withUnsafeBufferPointer { parser.parse($0) }
            switch outcome {
            case .incomplete:
                try socket.readMore()
            case .failure(let failure):
                throw BlockingSocket.Failure(description: "response: \(failure)")
            case .complete(let head, let length):
                guard let lengthText = head.headers["Content-Length"], let bodyLength = Int(lengthText) else {
                    throw BlockingSocket.Failure(description: "response without Content-Length")
                }
                while socket.buffer.count < length + bodyLength { try socket.readMore() }
                let body = socket.buffer[length..<(length + bodyLength)]
                socket.buffer.removeFirst(length + bodyLength)
                return Response(status: head.status.code, body: body)
            }
        }
    }
}
