import Testing
import WebSocket

/// Fragmentation, size and UTF-8 rules of RFC 6455 §5.4, §8.1.
@Suite("Message assembler")
struct MessageAssemblerTests {
    static func fragment(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = false) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }

    @Test func singleFrameMessages() {
        #expect(
            assemble([.text("hi"), .binary([0xFF, 0xFE])]) == [
                .message(opcode: .text, payload: Array("hi".utf8)), .message(opcode: .binary, payload: [0xFF, 0xFE]),
            ])
    }

    @Test func controlFramesInterleaveWithFragments() {
        let events = assemble([
            Self.fragment(.binary, [1, 2]), .ping([9]), Self.fragment(.continuation, []), .pong(),
            Self.fragment(.continuation, [3], fin: true), .close(.goingAway, reason: "restart"),
        ])
        #expect(
            events == [
                .needMoreFrames, .control(.ping([9])), .needMoreFrames, .control(.pong()),
                .message(opcode: .binary, payload: [1, 2, 3]), .control(.close(.goingAway, reason: "restart")),
            ])
    }

    @Test func utf8SplitAcrossFragmentsIsValidated() {
        // "€" is E2 82 AC: neither fragment is valid alone, the message is.
        let events = assemble([
            Self.fragment(.text, [0x41, 0xE2]), Self.fragment(.continuation, [0x82, 0xAC], fin: true),
        ])
        #expect(events.last == .message(opcode: .text, payload: Array("A€".utf8)))
    }

    @Test func continuationWithoutStart() {
        #expect(assemble([Self.fragment(.continuation, [1], fin: true)]) == [.failure(.unexpectedContinuation)])
        #expect(WebSocketProtocolError.unexpectedContinuation.closeCode == .protocolError)
    }

    @Test(arguments: [WebSocketOpcode.text, .binary])
    func newDataFrameWhileMessageInProgress(_ opcode: WebSocketOpcode) {
        let events = assemble([Self.fragment(.binary, [1]), WebSocketFrame(opcode: opcode, payload: [0x41])])
        #expect(events.last == .failure(.unfinishedMessage))
        #expect(WebSocketProtocolError.unfinishedMessage.code == 1002)
    }

    @Test func messageSizeLimit() {
        let limit = 10
        #expect(
            assemble([.binary([UInt8](repeating: 0, count: 10))], maxMessageSize: limit).last
                == .message(opcode: .binary, payload: [UInt8](repeating: 0, count: 10)))
        #expect(
            assemble([.binary([UInt8](repeating: 0, count: 11))], maxMessageSize: limit).last
                == .failure(.messageTooLarge(limit: 10)))
        let fragments = [Self.fragment(.text, Array("abcdef".utf8)), Self.fragment(.continuation, Array("ghijk".utf8))]
        #expect(assemble(fragments, maxMessageSize: limit).last == .failure(.messageTooLarge(limit: 10)))
        #expect(WebSocketProtocolError.messageTooLarge(limit: 10).code == 1009)
    }

    @Test(arguments: [
        "C0 AF", "C1 BF", "E0 80 AF", "E0 9F BF", "F0 80 80 AF", "F0 8F BF BF",  // overlong
        "ED A0 80", "ED BF BF", "ED A0 80 ED B0 80",  // surrogates (CESU-8 too)
        "E2 82", "F0 9F 98", "C3", "41 E2 82",  // truncated
        "80", "BF", "41 80 41",  // stray continuation
        "F4 90 80 80", "F5 80 80 80", "F8 88 80 80 80", "FE", "FF",  // past U+10FFFF, not UTF-8
        "41 41 41 41 41 41 41 41 41 41 C0 80",  // after the ASCII fast path
    ])
    func invalidUTF8TextIs1007(_ bytes: String) {
        let payload = hex(bytes)
        #expect(assemble([WebSocketFrame(opcode: .text, payload: payload)]) == [.failure(.invalidUTF8)])
        let split = [
            Self.fragment(.text, Array(payload.prefix(1))),
            Self.fragment(.continuation, Array(payload.dropFirst()), fin: true),
        ]
        #expect(assemble(split).last == .failure(.invalidUTF8))
        #expect(assemble([.binary(payload)]) == [.message(opcode: .binary, payload: payload)])
        #expect(WebSocketProtocolError.invalidUTF8.code == 1007)
    }

    @Test(arguments: ["", "plain", "caf\u{E9}", "\u{FFFF}\u{E000}\u{D7FF}", "\u{10FFFF}", "🙂 emoji 😀", "\u{0}"])
    func validUTF8Text(_ text: String) {
        #expect(assemble([.text(text)]) == [.message(opcode: .text, payload: Array(text.utf8))])
    }

    @Test(
        arguments: [
            [0x03], [0x03, 0xEC, 0x78], [0x03, 0xED], [0x03, 0xEE], [0x03, 0xF7], [0x00, 0x00],
            [0x03, 0xE7], [0x03, 0xF8], [0x07, 0xCF], [0x0B, 0xB7], [0x13, 0x88],
        ] as [[UInt8]])
    func invalidClosePayloadIs1002(_ payload: [UInt8]) {
        let events = assemble([WebSocketFrame(opcode: .close, payload: payload)])
        guard case .failure(let error) = events[0], case .invalidClosePayload = error else {
            Issue.record("expected invalidClosePayload, got \(events)")
            return
        }
        #expect(error.code == 1002)
    }

    @Test func closeReasonMustBeUTF8() {
        #expect(
            assemble([WebSocketFrame(opcode: .close, payload: [0x03, 0xE8, 0xC0, 0xAF])])
                == [.failure(.invalidCloseReasonUTF8)])
        #expect(WebSocketProtocolError.invalidCloseReasonUTF8.code == 1007)
    }

    @Test func failureIsSticky() {
        var assembler = WebSocketMessageAssembler()
        #expect(assembler.push(Self.fragment(.continuation, [])) == .failure(.unexpectedContinuation))
        #expect(assembler.push(.text("ok")) == .failure(.unexpectedContinuation))
        #expect(!assembler.isAssembling)
    }

    @Test func assemblerIsReusableAfterAMessage() {
        var assembler = WebSocketMessageAssembler()
        #expect(assembler.push(Self.fragment(.text, Array("a".utf8))) == .needMoreFrames)
        #expect(assembler.isAssembling)
        #expect(
            assembler.push(Self.fragment(.continuation, Array("b".utf8), fin: true))
                == .message(opcode: .text, payload: Array("ab".utf8)))
        #expect(!assembler.isAssembling)
        #expect(assembler.push(.text("c")) == .message(opcode: .text, payload: Array("c".utf8)))
    }
}
