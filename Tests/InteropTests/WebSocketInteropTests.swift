import Foundation
import OpenSSL
import RequestWindow
import Synchronization
import TestSupport
import Testing
import Upstream

#if canImport(Glibc)
import Glibc
#endif

/// The real upstream client (`WebSocketConnector` + `UpstreamMultiplexer`) against a server
/// we did not write: the Python `websockets` fixture answering like Binance ws-fapi.
@Suite(.serialized) struct WebSocketInteropTests {
    private func connector(
        _ fixture: WebSocketFixture, maxMessageSize: Int = 16 * 1024 * 1024
    ) throws -> WebSocketConnector {
        try WebSocketConnector(
            url: fixture.url, connectTimeout: .seconds(3), maxMessageSize: maxMessageSize,
            logger: interopLogger)
    }

    /// A request goes out and its answer comes back matched, `result` sliced from the frame.
    /// `websockets` fails the connection (1002) on an unmasked client frame, so an answer
    /// also proves the frames are masked; `clientFramesAreMaskedOnTheWire` checks the bits.
    @Test func roundTrip() throws {
        let fixture = try interopFixture()
        defer { fixture.stop() }
        let multiplexer = interopMultiplexer(try connector(fixture))
        defer { multiplexer.shutdown() }

        let outcome = multiplexer.interopCall(interopRequest("depth", params: #"{"symbol":"BTCUSDT"}"#))
        guard case .success(let reply)? = outcome else {
            Issue.record("expected an answer, got \(String(describing: outcome))")
            return
        }
        #expect(reply.status == 200)
        let result = try #require(interopObject(reply.body))
        #expect(result["method"] as? String == "depth")
        #expect(result["params"] as? [String: String] == ["symbol": "BTCUSDT"])
        #expect(result["connection"] as? Int == 1)
        #expect(reply.rateLimits.map { Array($0) } == Array("[]".utf8))
    }

    /// RFC 6455 §5.3 checked on the wire: a hand-written peer completes the handshake and
    /// keeps the raw bytes. Each frame has the mask bit, its own key, and unmasks to the request.
    @Test func clientFramesAreMaskedOnTheWire() throws {
        let peer = try RawWebSocketPeer()
        defer { peer.stop() }
        let connector = try WebSocketConnector(
            url: "ws://127.0.0.1:\(peer.port)/ws-fapi/v1", connectTimeout: .seconds(3),
            logger: interopLogger)
        let multiplexer = interopMultiplexer(connector)
        defer { multiplexer.shutdown() }
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            multiplexer.submit(interopRequest(params: #"{"symbol":"\#(symbol)"}"#)) { _ in }
        }
        #expect(eventually { (try? RawWebSocketPeer.frames(in: peer.received))?.count == 2 })
        let frames = try RawWebSocketPeer.frames(in: peer.received)
        try #require(frames.count == 2)
        for (frame, symbol) in zip(frames, ["BTCUSDT", "ETHUSDT"]) {
            #expect(frame.first == 0x81, "FIN and text")
            #expect(frame.masked)
            #expect(!frame.rawPayload.elementsEqual(frame.payload), "the mask changed the bytes")
            let text = String(decoding: frame.payload, as: UTF8.self)
            #expect(
                text.hasPrefix(#"{"id":"#) && text.hasSuffix(#","method":"depth","params":{"symbol":"\#(symbol)"}}"#),
                "unmasks to the request: \(text)")
        }
        #expect(frames[0].key != frames[1].key, "a fresh masking key per frame")
    }

    /// Every answer arrives in three fragments; each is reassembled and matched to its request.
    @Test func fragmentedAnswersAreReassembled() throws {
        let fixture = try interopFixture(["--fragment"])
        defer { fixture.stop() }
        let multiplexer = interopMultiplexer(try connector(fixture))
        defer { multiplexer.shutdown() }

        let outcomes = InteropOutcomes()
        for index in 0..<20 {
            multiplexer.submit(
                interopRequest(params: #"{"symbol":"SYM\#(index)","n":\#(index)}"#),
                completion: outcomes.completion(index))
        }
        #expect(eventually { outcomes.count == 20 })
        for index in 0..<20 {
            guard case .success(let reply)? = outcomes[index] else {
                Issue.record("request \(index): \(String(describing: outcomes[index]))")
                continue
            }
            let params = interopObject(reply.body)?["params"] as? [String: Any]
            #expect(params?["symbol"] as? String == "SYM\(index)", "request \(index)")
            #expect(params?["n"] as? Int == index, "request \(index)")
        }
        #expect(multiplexer.interopFixtureStats()?["connections"] as? Int == 1, "no reconnect along the way")
    }

    /// The fixture pings every 200 ms with a payload and counts only pongs echoing it.
    @Test func pingsAreAnsweredWithTheirPayload() throws {
        let fixture = try interopFixture(["--ping-interval", "0.2"])
        defer { fixture.stop() }
        let multiplexer = interopMultiplexer(try connector(fixture))
        defer { multiplexer.shutdown() }

        #expect(eventually { multiplexer.interopStatus?.connected == true })
        usleep(1_100_000)
        // Five ping rounds fit in 1.1 s; three is the bar. Polled a little longer, because on
        // two cores blocked test threads can stall the Dispatch pool (and so the pongs) ~1 s.
        var stats: [String: Any] = [:]
        _ = eventually(.seconds(2)) {
            stats = multiplexer.interopFixtureStats() ?? [:]
            return stats["pongs"] as? Int ?? 0 >= 3
        }
        let pongs = try #require(stats["pongs"] as? Int)
        #expect(pongs >= 3, "pongs echoing their ping's payload: \(pongs)")
        #expect(stats["connections"] as? Int == 1, "answering pings kept the one connection")
    }

    /// The fixture closes (1001) after three answers: all three arrive, the multiplexer
    /// reconnects, and the next request is answered on the second connection.
    @Test func aServerCloseIsFollowedByAReconnect() throws {
        let fixture = try interopFixture(["--close-after", "3", "--close-code", "1001"])
        defer { fixture.stop() }
        let multiplexer = interopMultiplexer(try connector(fixture))
        defer { multiplexer.shutdown() }

        let outcomes = InteropOutcomes()
        for index in 0..<3 {
            multiplexer.submit(interopRequest(params: #"{"n":\#(index)}"#), completion: outcomes.completion(index))
        }
        #expect(eventually { outcomes.count == 3 })
        for index in 0..<3 {
            guard case .success(let reply)? = outcomes[index] else {
                Issue.record("request \(index): \(String(describing: outcomes[index]))")
                continue
            }
            let result = interopObject(reply.body)
            #expect((result?["params"] as? [String: Int])?["n"] == index)
            #expect(result?["connection"] as? Int == 1)
        }
        #expect(
            eventually {
                guard let status = multiplexer.interopStatus else { return false }
                return status.reconnects >= 1 && status.connected
            })
        guard case .success(let reply)? = multiplexer.interopCall(interopRequest(params: #"{"n":3}"#)) else {
            Issue.record("the request after the reconnect was not answered")
            return
        }
        #expect(interopObject(reply.body)?["connection"] as? Int == 2)
    }

    /// Answers padded to 200 000 bytes against a 64 KiB limit. The link fails with
    /// `frameTooLarge` (a single frame already exceeds the limit) and closes with 1009. The
    /// read-only request is retried once on the next connection, which fails the same way,
    /// so it ends as `.disconnected(outcomeUnknown: false)`: the fixture saw it exactly twice.
    @Test func oversizeMessagesAreRefused() throws {
        let fixture = try interopFixture(["--oversize", "200000"])
        defer { fixture.stop() }

        let probe = InteropLinkProbe(try connector(fixture, maxMessageSize: 64 * 1024))
        guard case .success? = probe.connected() else {
            Issue.record("no link: \(String(describing: probe.connected()))")
            return
        }
        probe.send(#"{"id":1,"method":"depth","params":{}}"#)
        #expect(eventually { probe.closes.count == 1 })
        let reason = try #require(probe.closes.first)
        #expect(reason.hasPrefix("frame of ") && reason.hasSuffix(" bytes exceeds the 65536-byte limit"), "\(reason)")
        #expect(probe.frames.isEmpty)

        let multiplexer = interopMultiplexer(try connector(fixture, maxMessageSize: 64 * 1024))
        defer { multiplexer.shutdown() }
        let outcome = multiplexer.interopCall(interopRequest("depth"))
        #expect(failure(of: outcome) == .disconnected(outcomeUnknown: false), "\(String(describing: outcome))")
        // The stats answer is small, so the third connection carries it.
        let stats = try #require(multiplexer.interopFixtureStats())
        #expect(
            stats["methods"] as? [String] == ["depth", "depth", "depth"], "the probe's once, the multiplexer's twice")
    }

    /// A 101 with a wrong `Sec-WebSocket-Accept` fails the connect; the multiplexer stays down.
    @Test func aBadAcceptIsRejected() throws {
        let fixture = try interopFixture(["--bad-accept"])
        defer { fixture.stop() }

        let probe = InteropLinkProbe(try connector(fixture))
        guard case .failure(let error)? = probe.connected() else {
            Issue.record("expected a failed connect, got \(String(describing: probe.connected()))")
            return
        }
        #expect("\(error)".contains("bad Sec-WebSocket-Accept"), "\(error)")

        let multiplexer = interopMultiplexer(try connector(fixture))
        defer { multiplexer.shutdown() }
        usleep(500_000)
        #expect(multiplexer.interopStatus?.connected == false)
    }
}

/// The failure in `outcome`, if it is one.
private func failure(of outcome: Result<UpstreamReply, UpstreamFailure>?) -> UpstreamFailure? {
    guard case .failure(let failure)? = outcome else { return nil }
    return failure
}

/// A one-connection WebSocket server written by hand: it completes the opening handshake,
/// never answers, and keeps every byte the client sends after the handshake.
private final class RawWebSocketPeer: Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// One client frame as it was on the wire (short payloads only: 7- or 16-bit lengths).
    struct Frame {
        let first: UInt8
        let masked: Bool
        let key: [UInt8]
        let rawPayload: [UInt8]
        var payload: [UInt8] { rawPayload.enumerated().map { $0.element ^ key[$0.offset % 4] } }
    }

    let port: UInt16
    private let listener: Int32
    private let state = Mutex<(bytes: [UInt8], connection: Int32)>(([], -1))

    init() throws {
        let (listener, port) = try LoopbackListener.open(backlog: 1)
        self.listener = listener
        self.port = port
        Thread { [self] in serve() }.start()
    }

    var received: [UInt8] { state.withLock { $0.bytes } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))  // wakes a pending accept
        state.withLock { if $0.connection >= 0 { shutdown($0.connection, Int32(SHUT_RDWR)) } }
    }

    private func serve() {
        defer { close(listener) }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        state.withLock { $0.connection = connection }
        defer { close(connection) }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            guard read(connection, &buffer, 1) == 1 else { return }
            head.append(buffer[0])
        }
        let key =
            String(decoding: head, as: UTF8.self).split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { $0.dropFirst("sec-websocket-key:".count).trimmingCharacters(in: .whitespaces) } ?? ""
        let acceptValue = Data(Digest.sha1(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)))
            .base64EncodedString()
        let answer = Array(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(acceptValue)\r\n\r\n").utf8)
        guard write(connection, answer, answer.count) == answer.count else { return }
        while true {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            state.withLock { $0.bytes += buffer[..<count] }
        }
    }

    /// The complete frames at the start of `bytes`.
    static func frames(in bytes: [UInt8]) throws -> [Frame] {
        var frames: [Frame] = []
        var index = 0
        while bytes.count - index >= 2 {
            let masked = bytes[index + 1] & 0x80 != 0
            var length = Int(bytes[index + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard bytes.count - index >= 4 else { break }
                length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                header = 4
            } else if length == 127 {
                throw Failure(description: "unexpected 64-bit length")
            }
            let keyLength = masked ? 4 : 0
            guard bytes.count - index >= header + keyLength + length else { break }
            let key = masked ? Array(bytes[(index + header)..<(index + header + 4)]) : [0, 0, 0, 0]
            let payloadStart = index + header + keyLength
            frames.append(
                Frame(
                    first: bytes[index], masked: masked, key: key,
                    rawPayload: Array(bytes[payloadStart..<(payloadStart + length)])))
            index = payloadStart + length
        }
        return frames
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
