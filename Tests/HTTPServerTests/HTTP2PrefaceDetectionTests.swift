import Testing

@testable import HTTPServer

/// Telling the HTTP/2 prior-knowledge preface from HTTP/1 by the first bytes, without a socket.
@Suite("HTTP/2 preface detection")
struct HTTP2PrefaceDetectionTests {
    private let preface = HTTP2PrefaceDetection.preface

    @Test func theWholePrefaceIsHTTP2AndItsPrefixesWait() {
        var detection = HTTP2PrefaceDetection(enabled: true)
        for count in 0..<preface.count {
            let verdict = detection.examine(Array(preface[..<count]), atStart: true)
            #expect(verdict == .undecided)
        }
        let verdict2 = detection.examine(preface + Array("more".utf8), atStart: true)
        #expect(verdict2 == .http2)
    }

    @Test(arguments: ["GET / HTTP/1.1\r\n", "P", "PRI * HTTP/1.1\r\n", "pri"])
    func otherFirstBytesAreHTTP1ForGood(_ text: String) {
        var detection = HTTP2PrefaceDetection(enabled: true)
        let bytes = Array(text.utf8)
        let first = detection.examine(bytes, atStart: true)
        if preface.starts(with: bytes) {
            #expect(first == .undecided)
        } else {
            #expect(first == .http1)
            #expect(detection == .http1)
            let verdict = detection.examine(preface, atStart: true)
            #expect(verdict == .http1, "never looked at again")
        }
    }

    @Test func bytesAfterTheStartAreNeverThePreface() {
        var detection = HTTP2PrefaceDetection(enabled: true)
        let verdict = detection.examine(preface, atStart: false)
        #expect(verdict == .http1)
        #expect(detection == .http1)
    }

    @Test func withH2cOffEveryConnectionIsHTTP1() {
        var detection = HTTP2PrefaceDetection(enabled: false)
        #expect(detection == .http1)
        let verdict = detection.examine(preface, atStart: true)
        #expect(verdict == .http1)
    }
}
