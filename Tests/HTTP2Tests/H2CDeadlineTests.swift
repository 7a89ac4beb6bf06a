import Foundation
import HTTP1
import HTTP2
import HTTPServer
import Logging
import TestSupport
import Testing

/// The deadlines an h2c client has, as an HTTP/1.1 client has them: a preface trickled byte by
/// byte, a preface with no SETTINGS after it, and a request that never ends are all cut off
/// after the request read timeout, not kept for the idle timeout or forever.
@Suite("h2c deadlines")
struct H2CDeadlineTests {
    static let readTimeout: Duration = .milliseconds(500)

    let server: HTTPServer
    let port: Int

    init() throws {
        var router = HTTPRouter()
        router.add(.GET, "/hello") { _ in HTTPResponse(body: Array("hello".utf8)) }
        router.add(.POST, "/upload") { _ in HTTPResponse(body: Array("done".utf8)) }
        let configuration = ServerConfiguration(
            address: .tcp(host: "127.0.0.1", port: 0), requestReadTimeout: Self.readTimeout,
            idleTimeout: .seconds(30), shutdownTimeout: .seconds(1))
        server = HTTPServer(
            configuration: configuration.enablingH2C(), handler: router,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        port = Int(try server.start().description.split(separator: ":").last!)!
    }

    private func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 3)
    }

    /// The error code of the last GOAWAY among `frames`.
    private func goAwayError(_ frames: [H2Frame]) -> UInt32? {
        guard let frame = frames.last(where: { $0.type == 7 }), frame.payload.count >= 8 else { return nil }
        return frame.payload[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    private func framesUntilClosed(_ client: RawH2Client) -> (frames: [H2Frame], seconds: Double) {
        let start = Date()
        var frames: [H2Frame] = []
        while let frame = client.readFrame() { frames.append(frame) }
        return (frames, Date().timeIntervalSince(start))
    }

    @Test func aPrefaceTrickledByteByByteIsCutOff() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        let preface = H2Frame.clientPreface
        let start = Date()
        // One byte every 150 ms would take 3.6 s; each byte used to move the deadline.
        nonisolated(unsafe) let trickler = client  // sends on one thread while this one reads
        Thread.detachNewThread {
            for byte in preface.dropLast() {
                trickler.send([byte])
                Thread.sleep(forTimeInterval: 0.15)
            }
        }
        _ = client.readUntilClosed()
        let closedAfter = Date().timeIntervalSince(start)
        #expect(closedAfter < 2, "closed after \(closedAfter) s")
    }

    @Test func aPrefaceWithoutSettingsGetsSettingsTimeout() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.send(H2Frame.clientPreface)
        let (frames, seconds) = framesUntilClosed(client)
        #expect(goAwayError(frames) == 0x4, "frames: \(frames.map(\.type))")
        #expect(seconds >= 0.4 && seconds < 2.5, "closed after \(seconds) s")
    }

    @Test func aRequestThatNeverEndsGetsEnhanceYourCalm() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.sendPreface()
        // POST /upload: HEADERS with END_HEADERS and no END_STREAM, then silence.
        var block: [UInt8] = [0x83, 0x86]  // :method POST, :scheme http
        block += [0x04, 7] + Array("/upload".utf8) + [0x01, 9] + Array("127.0.0.1".utf8)
        client.send(H2Frame(type: 1, flags: 0x4, stream: 1, payload: block))
        let (frames, seconds) = framesUntilClosed(client)
        #expect(goAwayError(frames) == 0xB, "frames: \(frames.map(\.type))")
        #expect(seconds >= 0.4 && seconds < 2.5, "closed after \(seconds) s")
    }

    @Test func aPromptClientIsServedAsBefore() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.sendPreface()
        client.send(H2Frame.getHeaders(stream: 1, path: "/hello"))
        var body: [UInt8] = []
        while let frame = client.readFrame() {
            if frame.type == 0 && frame.stream == 1 { body += frame.payload }
            if frame.stream == 1 && frame.flags & 1 != 0 { break }
        }
        #expect(String(decoding: body, as: UTF8.self) == "hello")
    }
}
