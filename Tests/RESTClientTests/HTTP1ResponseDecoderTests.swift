import Testing

@testable import RESTClient

/// The HTTP/1.1 fallback's response reader over bytes, split anywhere.
@Suite struct HTTP1ResponseDecoderTests {
    private func decode(_ text: String, splitAt split: Int? = nil, close: Bool = false) -> [String] {
        var decoder = HTTP1ResponseDecoder(maxBodySize: 1024)
        let bytes = Array(text.utf8)
        let cut = split ?? bytes.count
        var found: [String] = []
        for part in [bytes[..<cut], bytes[cut...]] {
            part.withUnsafeBytes { decoder.append($0) }
            while true {
                switch decoder.next() {
                case .incomplete: break
                case .response(let response, let keepAlive):
                    found.append("\(response.status) \(keepAlive) \(String(decoding: response.body, as: UTF8.self))")
                    continue
                case .failure(let reason): found.append("failure: \(reason)")
                }
                break
            }
        }
        if close, case .response(let response, let keepAlive) = decoder.finish() {
            found.append("\(response.status) \(keepAlive) \(String(decoding: response.body, as: UTF8.self))")
        }
        return found
    }

    @Test func contentLengthAndChunkedResponsesBackToBack() {
        let text =
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
            + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n"
        for split in [1, 20, 40, 80, text.utf8.count] {
            #expect(
                decode(text, splitAt: split) == ["200 true hello", "400 true abcde", "204 true "], "split at \(split)")
        }
    }

    @Test func closeDelimitedBodiesEndAtTheClose() {
        #expect(decode("HTTP/1.0 200 OK\r\n\r\npartial", close: true) == ["200 false partial"])
        #expect(decode("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok") == ["200 false ok"])
    }

    @Test func malformedFramingIsAFailure() {
        #expect(decode("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n").first?.hasPrefix("failure") == true)
        #expect(decode("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n").first?.hasPrefix("failure") == true)
        #expect(decode("HTTP/2 200\r\n\r\n").first?.hasPrefix("failure") == true)
    }
}
