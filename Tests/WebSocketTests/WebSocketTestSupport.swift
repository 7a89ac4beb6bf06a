import Testing

@testable import WebSocket

/// Bytes from hex pairs, spaces ignored: `hex("81 05")`.
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
}

/// What a decoder made of one byte stream.
struct FrameRun: Equatable {
    var frames: [WebSocketFrame]
    var failure: WebSocketProtocolError?
    var unconsumed: [UInt8]
}

/// Feeds `input` to a fresh decoder in pieces cut at `cuts`, the way a connection would.
func decodeFrames(
    _ input: [UInt8], role: WebSocketRole, maxFrameSize: Int = 1 << 24, cuts: [Int] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) -> FrameRun {
    var decoder = WebSocketFrameDecoder(role: role, maxFrameSize: maxFrameSize)
    var run = FrameRun(frames: [], failure: nil, unconsumed: [])
    var start = 0
    for end in cuts.filter({ $0 > 0 && $0 < input.count }).sorted() + [input.count] where end > start {
        run.unconsumed += input[start..<end]
        start = end
        // Every call but the last consumes a byte or yields a frame, so this bounds a correct decoder.
        var settled = false
        for _ in 0...(2 * run.unconsumed.count + 8) {
            let (consumed, event) = decoder.decode(run.unconsumed)
            guard consumed >= 0 && consumed <= run.unconsumed.count else {
                Issue.record("consumed \(consumed) of \(run.unconsumed.count)", sourceLocation: sourceLocation)
                return run
            }
            run.unconsumed.removeFirst(consumed)
            switch event {
            case .frame(let frame): run.frames.append(frame)
            case .failure(let error):
                run.failure = error
                #expect(
                    decoder.decode(run.unconsumed).event == .failure(error), "not sticky",
                    sourceLocation: sourceLocation)
                return run
            case .needMoreData: settled = consumed == 0
            }
            if settled { break }
        }
        if !settled { Issue.record("decoder never settled", sourceLocation: sourceLocation) }
    }
    return run
}

/// Cut sets to try: whole, every 2-way split (for small inputs), byte by byte.
func cutSets(_ count: Int) -> [[Int]] {
    var sets: [[Int]] = [[]]
    if count <= 2048 { sets += (1..<max(count, 1)).map { [$0] } }
    sets.append(count > 1 ? Array(1..<count) : [])
    return sets
}

/// Expects `input` to decode to the same run however it is split, and returns that run.
@discardableResult
func expectSplitInvariant(
    _ input: [UInt8], role: WebSocketRole, maxFrameSize: Int = 1 << 24,
    sourceLocation: SourceLocation = #_sourceLocation
) -> FrameRun {
    let whole = decodeFrames(input, role: role, maxFrameSize: maxFrameSize, sourceLocation: sourceLocation)
    for cuts in cutSets(input.count).dropFirst() {
        let run = decodeFrames(
            input, role: role, maxFrameSize: maxFrameSize, cuts: cuts,
            sourceLocation: sourceLocation)
        // After a failure the rest of the stream is never read, so what is left over may differ.
        if run.frames != whole.frames || run.failure != whole.failure
            || (whole.failure == nil && run.unconsumed != whole.unconsumed)
        {
            Issue.record(
                "split at \(cuts.count == 1 ? "\(cuts[0])" : "every byte") differs from whole",
                sourceLocation: sourceLocation)
            break
        }
    }
    return whole
}

/// Expects `input`, however split, to fail with `code`, and returns the error.
@discardableResult
func expectDecodeFailure(
    _ input: [UInt8], role: WebSocketRole, code: WebSocketCloseCode, maxFrameSize: Int = 1 << 24,
    sourceLocation: SourceLocation = #_sourceLocation
) -> WebSocketProtocolError? {
    let run = expectSplitInvariant(input, role: role, maxFrameSize: maxFrameSize, sourceLocation: sourceLocation)
    #expect(run.frames.isEmpty, sourceLocation: sourceLocation)
    #expect(run.failure?.closeCode == code, "\(String(describing: run.failure))", sourceLocation: sourceLocation)
    return run.failure
}

/// Feeds `frames` to a fresh assembler and returns every event.
func assemble(_ frames: [WebSocketFrame], maxMessageSize: Int = 1 << 24) -> [WebSocketMessageAssembler.Event] {
    var assembler = WebSocketMessageAssembler(maxMessageSize: maxMessageSize)
    return frames.map { assembler.push($0) }
}

extension WebSocketProtocolError {
    var code: UInt16 { closeCode.rawValue }
}
