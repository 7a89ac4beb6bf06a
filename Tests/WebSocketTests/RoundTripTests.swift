import Testing
import WebSocket

/// Encoder and decoder agree with each other for both roles, and masking is sound.
@Suite("Round trips and masking")
struct RoundTripTests {
    static let sizes = [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 125, 126, 127, 1000, 65535, 65536, 70001]

    @Test(arguments: [WebSocketRole.client, .server])
    func encodeThenDecode(_ sender: WebSocketRole) {
        var encoder = WebSocketFrameEncoder(role: sender)
        let receiver: WebSocketRole = sender == .client ? .server : .client
        for size in Self.sizes {
            for opcode in [WebSocketOpcode.binary, .text, .continuation] {
                let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ size) }
                let frame = WebSocketFrame(fin: size % 2 == 0, opcode: opcode, payload: payload)
                let wire = encoder.encode(frame)
                #expect(
                    wire.count == payload.count + (size < 126 ? 2 : size < 65536 ? 4 : 10)
                        + (sender == .client ? 4 : 0))
                let run = decodeFrames(wire, role: receiver)
                #expect(run.frames == [frame], "size \(size)")
                #expect(run.unconsumed.isEmpty)
            }
        }
    }

    @Test func clientMasksEveryFrameWithAFreshKey() {
        var encoder = WebSocketFrameEncoder(role: .client)
        let frame = WebSocketFrame.text(String(repeating: "a", count: 64))
        var masks = Set<[UInt8]>()
        for _ in 0..<600 {  // more than one pool of random bytes
            let wire = encoder.encode(frame)
            #expect(wire[1] & 0x80 != 0)
            masks.insert(Array(wire[2..<6]))
            #expect(Array(wire[6...]) != frame.payload)
        }
        #expect(masks.count >= 599)
    }

    @Test func serverNeverMasks() {
        var encoder = WebSocketFrameEncoder(role: .server)
        for size in Self.sizes {
            let wire = encoder.encode(.binary([UInt8](repeating: 7, count: size)))
            #expect(wire[1] & 0x80 == 0)
            #expect(wire.suffix(size).allSatisfy { $0 == 7 })
        }
    }

    @Test func encodesFromSlicesAndStringViews() {
        var encoder = WebSocketFrameEncoder(role: .server)
        var output: [UInt8] = [0xEE]
        let text = "{\"method\":\"ping\"}"
        encoder.encode(opcode: .text, payload: text.utf8, into: &output)
        let bytes = Array(text.utf8)
        encoder.encode(opcode: .binary, fin: false, payload: bytes[2..<5], into: &output)
        #expect(output == [0xEE, 0x81, UInt8(bytes.count)] + bytes + [0x02, 0x03] + bytes[2..<5])
    }

    @Test func wordWiseMaskingMatchesTheDefinition() {
        let mask = WebSocketMask(0x37, 0xFA, 0x21, 0x3D)
        #expect(mask.bytes == [0x37, 0xFA, 0x21, 0x3D])
        for length in 0..<41 {
            for offset in 0..<4 {
                let original = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
                var fast = original
                mask.apply(to: &fast, in: 0..<length, offset: offset)
                let slow = original.enumerated().map { $0.element ^ mask.bytes[($0.offset + offset) % 4] }
                #expect(fast == slow, "length \(length) offset \(offset)")
            }
        }
    }

    @Test func maskingInPiecesEqualsMaskingWhole() {
        let mask = WebSocketMask(key: 0xDEAD_BEEF)
        let original = (0..<100).map { UInt8($0) }
        var whole = original
        mask.apply(to: &whole, in: 0..<100)
        for cut in [1, 3, 5, 8, 13, 50, 99] {
            var pieces = original
            mask.apply(to: &pieces, in: 0..<cut, offset: 0)
            mask.apply(to: &pieces, in: cut..<100, offset: cut)
            #expect(pieces == whole, "cut \(cut)")
        }
    }
}
