import Testing
import WebSocket

/// Every frame-level rule of RFC 6455 §5 that fails the connection, with its close code.
@Suite("Frame decoder errors")
struct FrameDecoderErrorTests {
    @Test(arguments: [0x40, 0x20, 0x10, 0x70] as [UInt8])
    func reservedBitsWithoutExtension(_ bits: UInt8) {
        let error = expectDecodeFailure([0x81 | bits, 0x00], role: .client, code: .protocolError)
        #expect(error == .reservedBitsSet)
    }

    @Test(arguments: [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func unknownOpcode(_ opcode: UInt8) {
        let error = expectDecodeFailure([0x80 | opcode, 0x00], role: .client, code: .protocolError)
        #expect(error == .unknownOpcode(opcode))
    }

    @Test(arguments: [WebSocketOpcode.close, .ping, .pong])
    func fragmentedControlFrame(_ opcode: WebSocketOpcode) {
        let error = expectDecodeFailure([opcode.rawValue, 0x00], role: .client, code: .protocolError)
        #expect(error == .fragmentedControlFrame)
    }

    @Test func controlFrameOver125Bytes() {
        let ping = [0x89, 0x7E, 0x00, 0x7E] + [UInt8](repeating: 0x61, count: 126)
        #expect(expectDecodeFailure(ping, role: .client, code: .protocolError) == .controlFrameTooLong(length: 126))
        #expect(
            expectSplitInvariant([0x89, 0x7D] + [UInt8](repeating: 0x61, count: 125), role: .client)
                .frames.count == 1)
    }

    @Test func clientRefusesMaskedFrames() {
        let wire = hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        #expect(expectDecodeFailure(wire, role: .client, code: .protocolError) == .maskedFrameFromServer)
    }

    @Test func serverRequiresMaskedFrames() {
        let wire = hex("81 05 48 65 6c 6c 6f")
        #expect(expectDecodeFailure(wire, role: .server, code: .protocolError) == .unmaskedFrameFromClient)
    }

    @Test func sixtyFourBitLengthWithTopBitSet() {
        let wire = hex("82 7F 80 00 00 00 00 00 00 05")
        guard case .invalidLength? = expectDecodeFailure(wire, role: .client, code: .protocolError) else {
            Issue.record("expected invalidLength")
            return
        }
    }

    @Test(arguments: [
        hex("82 7E 00 05"), hex("82 7E 00 7D"), hex("82 7F 00 00 00 00 00 00 00 05"),
        hex("82 7F 00 00 00 00 00 00 FF FF"),
    ])
    func nonMinimalLength(_ header: [UInt8]) {
        guard case .invalidLength? = expectDecodeFailure(header, role: .client, code: .protocolError) else {
            Issue.record("expected invalidLength")
            return
        }
    }

    @Test func minimalLengthsAtTheBoundariesAreAccepted() {
        let sizes = [125, 126, 65535, 65536]
        var encoder = WebSocketFrameEncoder(role: .server)
        for size in sizes {
            let frame = WebSocketFrame.binary([UInt8](repeating: 1, count: size))
            #expect(decodeFrames(encoder.encode(frame), role: .client).frames == [frame])
        }
    }

    @Test func frameOverMaxFrameSizeIsTooBig() {
        let overByOne = hex("82 65") + [UInt8](repeating: 0, count: 101)
        #expect(
            expectDecodeFailure(overByOne, role: .client, code: .messageTooBig, maxFrameSize: 100)
                == .frameTooLarge(length: 101, limit: 100))
        // Refused from the header alone: none of the claimed terabyte is waited for.
        let huge = hex("82 7F 00 00 01 00 00 00 00 00")
        #expect(
            expectDecodeFailure(huge, role: .client, code: .messageTooBig, maxFrameSize: 100)
                == .frameTooLarge(length: 1 << 40, limit: 100))
        let exact = hex("82 64") + [UInt8](repeating: 0, count: 100)
        #expect(decodeFrames(exact, role: .client, maxFrameSize: 100).frames.count == 1)
    }

    @Test func errorsAreReportedAsSoonAsTheDecidingByteArrives() {
        var decoder = WebSocketFrameDecoder(role: .client)
        #expect(decoder.decode([0xC1]).event == .failure(.reservedBitsSet))
        var server = WebSocketFrameDecoder(role: .server)
        #expect(server.decode([0x81]).event == .needMoreData)
        #expect(server.decode([0x81, 0x05]).event == .failure(.unmaskedFrameFromClient))
    }

    @Test func failureIsStickyAndFramesBeforeItSurvive() {
        let wire = hex("81 02 68 69") + hex("83 00") + hex("81 02 68 69")
        let run = expectSplitInvariant(wire, role: .client)
        #expect(run.frames == [.text("hi")])
        #expect(run.failure == .unknownOpcode(3))
        var decoder = WebSocketFrameDecoder(role: .client)
        _ = decoder.decode(hex("83 00"))
        #expect(decoder.decode(hex("81 02 68 69")) == (0, .failure(.unknownOpcode(3))))
    }

    @Test func descriptionsNameTheProblem() {
        #expect(WebSocketProtocolError.unknownOpcode(0xB).description == "unknown opcode 0xb")
        #expect(WebSocketProtocolError.maskedFrameFromServer.closeCode == .protocolError)
        #expect(WebSocketProtocolError.invalidUTF8.closeCode == .invalidFramePayloadData)
        #expect(WebSocketProtocolError.messageTooLarge(limit: 1).closeCode == .messageTooBig)
    }
}
