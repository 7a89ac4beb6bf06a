import Testing
import WebSocket

/// The decoder's output must not depend on how the stream was cut into reads.
@Suite("Split invariance")
struct SplitInvarianceTests {
    static let frames: [WebSocketFrame] = [
        .text("{\"id\":1,\"method\":\"order.place\"}"),
        .ping(Array("keepalive".utf8)),
        WebSocketFrame(fin: false, opcode: .binary, payload: Array(repeating: 0xAB, count: 200)),
        .pong(),
        WebSocketFrame(fin: false, opcode: .continuation, payload: []),
        WebSocketFrame(fin: true, opcode: .continuation, payload: (0..<300).map { UInt8($0 & 0xFF) }),
        .text(""),
        .close(.normalClosure, reason: "bye"),
    ]

    @Test(arguments: [WebSocketRole.client, .server])
    func everySplitYieldsTheSameFrames(_ sender: WebSocketRole) {
        var encoder = WebSocketFrameEncoder(role: sender)
        let wire = Self.frames.flatMap { encoder.encode($0) }
        let receiver: WebSocketRole = sender == .client ? .server : .client
        let run = expectSplitInvariant(wire, role: receiver)
        #expect(run.frames == Self.frames)
        #expect(run.failure == nil)
        #expect(run.unconsumed.isEmpty)
    }

    @Test func everyThreeWaySplitOfAMaskedFrame() {
        let wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58") + hex("89 80 01 02 03 04")
        for first in 1..<wire.count {
            for second in (first + 1)..<wire.count {
                let run = decodeFrames(wire, role: .server, cuts: [first, second])
                #expect(run.frames == [.text("Hello"), .ping()], "cuts \(first), \(second)")
            }
        }
    }

    @Test func aPartialFrameIsHeldUntilComplete() {
        var decoder = WebSocketFrameDecoder(role: .client)
        let wire = hex("81 05 48 65 6c 6c 6f")
        #expect(decoder.decode(Array(wire[..<1])) == (0, .needMoreData))
        #expect(decoder.decode(Array(wire[..<4])) == (4, .needMoreData))
        #expect(decoder.decode(Array(wire[4...]) + hex("89")) == (3, .frame(.text("Hello"))))
        #expect(decoder.decode(hex("89")) == (0, .needMoreData))
    }
}
