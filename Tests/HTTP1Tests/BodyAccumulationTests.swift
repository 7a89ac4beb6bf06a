import HTTP1
import Testing

/// A body that arrives in many small reads must cost time in proportion to its size:
/// a decoder that copied the body so far on every read would let a client trickling
/// bytes burn quadratic CPU (here, minutes instead of well under a second).
@Suite("Body accumulation")
struct BodyAccumulationTests {
    private static let size = 16 << 20
    private static let read = 256

    private static func input(_ framing: String) -> [UInt8] {
        let data = [UInt8](repeating: UInt8(ascii: "d"), count: size / 16)
        let chunked = framing == "chunked"
        var input = bytes(
            "POST / HTTP/1.1\r\nHost: gw\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(size)\r\n\r\n"))
        input.reserveCapacity(size + 1024)
        for _ in 0..<16 {
            if chunked { input += bytes(String(data.count, radix: 16) + "\r\n") }
            input += data
            if chunked { input += bytes("\r\n") }
        }
        return chunked ? input + bytes("0\r\n\r\n") : input
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["fixed", "chunked"])
    func largeBodyInSmallReads(_ framing: String) async throws {
        let input = Self.input(framing)
        var decoder = HTTPRequestDecoder(limits: HTTPLimits(maxBodySize: Self.size))
        var bodySize: Int?
        var start = 0
        while start < input.count {
            try Task.checkCancellation()  // a copying decoder takes minutes here; let the time limit end it
            let end = min(start + Self.read, input.count)
            let (consumed, event) = input.withUnsafeBufferPointer {
                decoder.decode(UnsafeBufferPointer(rebasing: $0[start..<end]))
            }
            switch event {
            case .request(let request): bodySize = request.body.count
            case .needMoreData: break
            default: Issue.record("unexpected \(event)")
            }
            // A read that ends inside a size line leaves that line for the next one.
            try #require(consumed > 0)
            start += consumed
        }
        #expect(bodySize == Self.size)
    }
}
