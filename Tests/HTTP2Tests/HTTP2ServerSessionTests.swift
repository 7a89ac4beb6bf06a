import HTTP1
import HTTP2
import TestSupport
import Testing

/// The session without sockets: what it sends first, how it ends on a bad preface, and GOAWAY.
@Suite("HTTP/2 server session")
struct HTTP2ServerSessionTests {
    @Test func sendsSettingsFirst() {
        let session = HTTP2ServerSession()
        let output = session.takeOutput()
        // A 9-byte frame header: type 0x4 (SETTINGS) on stream 0, one 6-byte entry.
        #expect(output.count == 15)
        #expect(output[3] == 0x4)
        #expect(!session.isFinished)
    }

    @Test func badPrefaceEndsTheConnectionWithGoAway() {
        let session = HTTP2ServerSession()
        _ = session.takeOutput()
        let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let requests = garbage.withUnsafeBytes { session.receive($0) }
        #expect(requests.isEmpty)
        let output = session.takeOutput()
        #expect(output.count >= 17)
        #expect(output[3] == 0x7)  // GOAWAY
        #expect(session.isFinished)
    }

    @Test func goAwayNamesTheLastStreamAndFinishes() {
        let session = HTTP2ServerSession()
        _ = session.takeOutput()
        let preface = H2Frame.clientPreface + [0, 0, 0, 4, 0, 0, 0, 0, 0]
        _ = preface.withUnsafeBytes { session.receive($0) }
        _ = session.takeOutput()
        session.goAway()
        let output = session.takeOutput()
        // GOAWAY: a 9-byte header, last stream 0 (none taken), NO_ERROR.
        #expect(output.count == 17 && output[3] == 0x7)
        #expect(Array(output[9...]) == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(session.isFinished)
    }
}
