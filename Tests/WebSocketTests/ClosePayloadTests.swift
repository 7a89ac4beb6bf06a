import Testing
import WebSocket

/// Building and reading close frames (RFC 6455 §5.5.1, §7.4).
@Suite("Close payloads")
struct ClosePayloadTests {
    @Test func buildsCodeAndReason() {
        #expect(WebSocketClosePayload(code: .normalClosure, reason: "bye").bytes == [0x03, 0xE8] + Array("bye".utf8))
        #expect(WebSocketClosePayload(code: WebSocketCloseCode(rawValue: 4000)).bytes == [0x0F, 0xA0])
        #expect(WebSocketClosePayload(code: nil, reason: "ignored").bytes == [])
        #expect(WebSocketFrame.close() == WebSocketFrame(opcode: .close, payload: [0x03, 0xE8]))
        #expect(WebSocketFrame.close(nil).payload.isEmpty)
    }

    @Test func longReasonIsCutAtACharacterBoundary() {
        let ascii = WebSocketClosePayload(code: .goingAway, reason: String(repeating: "a", count: 200)).bytes
        #expect(ascii.count == 125)
        let accented = WebSocketClosePayload(code: .goingAway, reason: String(repeating: "\u{E9}", count: 100)).bytes
        #expect(accented.count == 2 + 122)
        let parsed = try? WebSocketClosePayload(parsing: accented)
        #expect(parsed?.reason == String(repeating: "\u{E9}", count: 61))
        var encoder = WebSocketFrameEncoder(role: .server)
        let wire = encoder.encode(.close(.goingAway, reason: String(repeating: "🙂", count: 40)))
        #expect(decodeFrames(wire, role: .client).frames.first?.payload.count == 2 + 120)
    }

    @Test func parsesWhatItBuilds() throws {
        for code in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1014, 3000, 4999] as [UInt16] {
            let payload = WebSocketClosePayload(code: WebSocketCloseCode(rawValue: code), reason: "r\u{E9}")
            #expect(try WebSocketClosePayload(parsing: payload.bytes) == payload)
        }
        #expect(try WebSocketClosePayload(parsing: []) == WebSocketClosePayload(code: nil))
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535] as [UInt16])
    func unsendableCodesAreRefused(_ code: UInt16) {
        #expect(!WebSocketCloseCode(rawValue: code).isSendable)
        #expect(throws: WebSocketProtocolError.self) {
            try WebSocketClosePayload(parsing: [UInt8(code >> 8), UInt8(code & 0xFF)])
        }
    }

    @Test func oneBytePayloadIsAProtocolError() {
        #expect(throws: WebSocketProtocolError.invalidClosePayload("1-byte payload")) {
            try WebSocketClosePayload(parsing: [0x03])
        }
    }

    @Test func namedCodes() {
        let codes: [(WebSocketCloseCode, UInt16)] = [
            (.normalClosure, 1000), (.goingAway, 1001), (.protocolError, 1002), (.unsupportedData, 1003),
            (.invalidFramePayloadData, 1007), (.policyViolation, 1008), (.messageTooBig, 1009),
            (.internalError, 1011), (.noStatusReceived, 1005), (.abnormalClosure, 1006),
        ]
        for (code, raw) in codes { #expect(code.rawValue == raw) }
    }
}
