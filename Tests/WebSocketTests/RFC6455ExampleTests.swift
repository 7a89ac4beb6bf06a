import Testing
import WebSocket

/// The worked examples of RFC 6455, byte for byte.
@Suite("RFC 6455 examples")
struct RFC6455ExampleTests {
    static let rfcMask = WebSocketMask(0x37, 0xFA, 0x21, 0x3D)

    @Test func unmaskedTextHello() {
        let wire = hex("81 05 48 65 6c 6c 6f")
        var encoder = WebSocketFrameEncoder(role: .server)
        #expect(encoder.encode(.text("Hello")) == wire)
        #expect(expectSplitInvariant(wire, role: .client).frames == [.text("Hello")])
    }

    @Test func maskedTextHello() {
        let wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        var output: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8), mask: Self.rfcMask, into: &output)
        #expect(output == wire)
        #expect(expectSplitInvariant(wire, role: .server).frames == [.text("Hello")])
    }

    @Test func fragmentedUnmaskedText() {
        let wire = hex("01 03 48 65 6c") + hex("80 02 6c 6f")
        let frames = expectSplitInvariant(wire, role: .client).frames
        #expect(
            frames == [
                WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
                WebSocketFrame(fin: true, opcode: .continuation, payload: Array("lo".utf8)),
            ])
        #expect(assemble(frames) == [.needMoreFrames, .message(opcode: .text, payload: Array("Hello".utf8))])
        var encoder = WebSocketFrameEncoder(role: .server)
        #expect(frames.flatMap { encoder.encode($0) } == wire)
    }

    @Test func unmaskedPingAndMaskedPong() {
        let ping = hex("89 05 48 65 6c 6c 6f")
        var encoder = WebSocketFrameEncoder(role: .server)
        #expect(encoder.encode(.ping(Array("Hello".utf8))) == ping)
        #expect(expectSplitInvariant(ping, role: .client).frames == [.ping(Array("Hello".utf8))])

        let pong = hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")
        var output: [UInt8] = []
        WebSocketFrameEncoder.encode(opcode: .pong, payload: Array("Hello".utf8), mask: Self.rfcMask, into: &output)
        #expect(output == pong)
        #expect(expectSplitInvariant(pong, role: .server).frames == [.pong(Array("Hello".utf8))])
    }

    @Test func binary256BytesUses16BitLength() {
        let payload = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let wire = hex("82 7E 01 00") + payload
        var encoder = WebSocketFrameEncoder(role: .server)
        #expect(encoder.encode(.binary(payload)) == wire)
        #expect(expectSplitInvariant(wire, role: .client).frames == [.binary(payload)])
    }

    @Test func binary64KiBUses64BitLength() {
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let wire = hex("82 7F 00 00 00 00 00 01 00 00") + payload
        var encoder = WebSocketFrameEncoder(role: .server)
        #expect(encoder.encode(.binary(payload)) == wire)
        #expect(decodeFrames(wire, role: .client).frames == [.binary(payload)])
        #expect(decodeFrames(wire, role: .client, cuts: Array(1..<wire.count)).frames == [.binary(payload)])
        for cut in [1, 2, 9, 10, 11, 4096, 65545] {
            #expect(decodeFrames(wire, role: .client, cuts: [cut]).frames == [.binary(payload)], "cut \(cut)")
        }
    }

    @Test func acceptValueOfSection1_3() {
        #expect(WebSocketHandshake.acceptValue(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }
}
