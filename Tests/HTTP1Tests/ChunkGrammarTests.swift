import HTTP1
import Testing

/// RFC 9112 §7.1: a chunk size is hex digits, optionally followed by extensions by their
/// grammar, and what follows the last chunk is trailer field lines, then an empty line.
@Suite("Chunk sizes, extensions and trailers")
struct ChunkGrammarTests {
    private static let post = "POST /fapi/v1/order HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test(arguments: [
        "1e junk", "1e junk;a", "3 ", "3\t", "3 x", "3;", "3;=v", "3;a=", "3;a=\"open", "3;a b", "3;a=\"\u{1}\"",
        "3,4", "0x3", "3;a=b c",
    ])
    func sizeLinesOutsideTheGrammarAreRejected(_ line: String) {
        expectRejected(Self.post + "\(line)\r\nabc\r\n0\r\n\r\n", status: 400)
    }

    @Test(arguments: [
        "3", "3;a", "3;a=b", "3 ;a=b", "3; a = b", "3;a=\"x y;z\"", "3;a=\"\\\"q\\\"\"", "3;a=1;b;c=\"\"",
    ])
    func sizeLinesInTheGrammarAreAccepted(_ line: String) throws {
        let request = try #require(expectAccepted(Self.post + "\(line)\r\nabc\r\n0\r\n\r\n"))
        #expect(request.body == bytes("abc"))
    }

    /// A request written where trailers go is not swallowed as trailer fields: it ends the stream.
    @Test func aRequestAfterTheLastChunkIsNotATrailer() {
        expectRejected(
            Self.post + "3\r\nabc\r\n0\r\nGET /v1/ws_futures_account_balance HTTP/1.1\r\nHost: gw\r\n\r\n",
            status: 400)
    }

    @Test(arguments: ["X-T : 1", "X T: 1", "no colon", ": empty name", "X-T: a\u{0}b"])
    func trailerLinesMustBeFields(_ line: String) {
        expectRejected(Self.post + "3\r\nabc\r\n0\r\n\(line)\r\n\r\n", status: 400)
    }

    @Test func validTrailerFieldsAreReadAndDropped() throws {
        let request = try #require(
            expectAccepted(Self.post + "3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other: two words\r\n\r\n"))
        #expect(request.body == bytes("abc"))
        #expect(!request.headers.contains("X-Checksum"))
    }
}
