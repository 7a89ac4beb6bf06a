import Foundation
import HTTP1
import HTTP2
import HTTPServer
import Logging
import TestSupport
import Testing

/// How h2c connections end, over real sockets: GOAWAY (NO_ERROR) after the idle timeout with no
/// open stream, and at shutdown, where the stream in flight still gets its response.
@Suite("h2c idle timeout and shutdown")
struct H2CLifecycleTests {
    static let idleTimeout: Duration = .milliseconds(400)

    let server: HTTPServer
    let port: Int
    /// Signalled when the handler has taken a `/slow` request (answered 1 s later).
    let slowTaken = DispatchSemaphore(value: 0)

    init() throws {
        var router = HTTPRouter()
        router.add(.GET, "/hello") { _ in HTTPResponse(body: Array("hello".utf8)) }
        let taken = slowTaken
        router.add(.GET, "/slow") { _, responder in
            taken.signal()
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) {
                responder.respond(HTTPResponse(body: Array("slow done".utf8)))
            }
        }
        let configuration = ServerConfiguration(
            address: .tcp(host: "127.0.0.1", port: 0), idleTimeout: Self.idleTimeout,
            shutdownTimeout: .seconds(5))
        server = HTTPServer(
            configuration: configuration.enablingH2C(), handler: router,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let address = try server.start()
        port = Int(address.description.split(separator: ":").last!)!
    }

    private func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 6)
    }

    /// A GOAWAY frame's last stream id and error code.
    private func goAway(_ frame: H2Frame) -> (lastStream: UInt32, error: UInt32)? {
        guard frame.type == 7, frame.stream == 0, frame.payload.count >= 8 else { return nil }
        let word = { (at: Int) in frame.payload[at..<at + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        return (word(0) & 0x7FFF_FFFF, word(4))
    }

    /// Frames until the connection closes (or the read times out); `seconds` since the call for each.
    private func framesUntilClosed(_ client: RawH2Client) -> [(frame: H2Frame, at: Double)] {
        let start = Date()
        var frames: [(H2Frame, Double)] = []
        while let frame = client.readFrame() { frames.append((frame, Date().timeIntervalSince(start))) }
        return frames
    }

    @Test func idleConnectionGetsGoAwayAndIsClosed() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.sendPreface()
        let frames = framesUntilClosed(client)
        let last = try #require(frames.last)
        #expect(goAway(last.frame)?.lastStream == 0 && goAway(last.frame)?.error == 0)
        #expect(last.at >= 0.35 && last.at < 2.5, "GOAWAY after \(last.at) s")
        #expect(frames.filter { $0.frame.type == 7 }.count == 1)
        #expect(eventually { server.connectionCount == 0 })
    }

    @Test func idleClockStartsWhenTheLastStreamEnds() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.sendPreface()
        // A request held longer than the idle timeout keeps the connection open.
        client.send(H2Frame.getHeaders(stream: 1, path: "/slow"))
        var ended: Double?
        let frames = framesUntilClosed(client)
        for (frame, at) in frames where frame.stream == 1 && frame.flags & 1 != 0 { ended = at }
        let answered = try #require(ended)
        #expect(answered >= 0.9)
        let body = frames.filter { $0.frame.type == 0 && $0.frame.stream == 1 }.flatMap(\.frame.payload)
        #expect(String(decoding: body, as: UTF8.self) == "slow done")
        let last = try #require(frames.last)
        #expect(goAway(last.frame)?.lastStream == 1 && goAway(last.frame)?.error == 0)
        #expect(frames.dropLast().allSatisfy { $0.frame.type != 7 })
        #expect(last.at - answered >= 0.35, "GOAWAY \(last.at - answered) s after the response")
    }

    @Test func shutdownLetsTheStreamInFlightFinish() throws {
        let client = try RawH2Client(port: port)
        client.sendPreface()
        client.send(H2Frame.getHeaders(stream: 1, path: "/slow"))
        #expect(slowTaken.wait(timeout: .now() + 3) == .success)
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        let frames = framesUntilClosed(client)
        let away = try #require(frames.first { $0.frame.type == 7 })
        #expect(goAway(away.frame)?.lastStream == 1 && goAway(away.frame)?.error == 0)
        // GOAWAY comes at once; the response follows it, whole, and then the connection closes.
        #expect(away.at < 0.5)
        let response = frames.filter { $0.frame.stream == 1 }
        #expect(response.first?.frame.type == 1 && (response.last?.frame.flags ?? 0) & 1 != 0)
        #expect(response.allSatisfy { $0.at > away.at })
        let body = response.filter { $0.frame.type == 0 }.flatMap(\.frame.payload)
        #expect(String(decoding: body, as: UTF8.self) == "slow done")
        #expect(done.wait(timeout: .now() + 3) == .success)
    }

    @Test func shutdownClosesAnIdleConnectionAtOnce() throws {
        let client = try RawH2Client(port: port)
        client.sendPreface()
        client.send(H2Frame.getHeaders(stream: 1, path: "/hello"))
        var frames: [H2Frame] = []
        while let frame = client.readFrame() {
            frames.append(frame)
            if frame.stream == 1 && frame.flags & 1 != 0 { break }
        }
        let start = Date()
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        let rest = framesUntilClosed(client)
        #expect(rest.last.flatMap { goAway($0.frame) }?.lastStream == 1)
        #expect(done.wait(timeout: .now() + 3) == .success)
        #expect(Date().timeIntervalSince(start) < 0.3)
    }
}
