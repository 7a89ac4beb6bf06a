import Foundation
import HTTP1
import HTTP2
import HTTPServer
import Logging
import TestSupport
import Testing

/// h2c with prior knowledge on a real `HTTPServer`, driven by `curl --http2-prior-knowledge`;
/// HTTP/1.1 keeps working on the same port.
@Suite("h2c server")
struct H2CServerTests {
    /// Holds each request for 300 ms and records how many were in flight at once.
    final class InFlight: @unchecked Sendable {
        private let lock = NSLock()
        private var current = 0
        private var peak = 0
        var maximum: Int { lock.withLock { peak } }

        func hold(_ path: String, _ responder: HTTPResponder) {
            lock.withLock {
                current += 1
                peak = max(peak, current)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { [self] in
                lock.withLock { current -= 1 }
                responder.respond(HTTPResponse(body: Array("done \(path)".utf8)))
            }
        }
    }

    let server: HTTPServer
    let inFlight: InFlight
    let base: String
    let port: Int

    init() throws {
        var router = HTTPRouter()
        router.add(.GET, "/hello") { _ in
            HTTPResponse(
                status: HTTPStatus(code: 201), headers: ["X-Test": "yes", "Connection": "keep-alive"],
                body: Array("hello h2".utf8))
        }
        router.add(.POST, "/echo") { request in
            .json(.ok, String(decoding: request.body, as: UTF8.self), headers: ["X-Method": request.method.rawValue])
        }
        router.add(.GET, "/host") { request in HTTPResponse(body: Array((request.headers["host"] ?? "-").utf8)) }
        router.add(.GET, "/big") { _ in HTTPResponse(body: [UInt8](repeating: 0x61, count: 300_000)) }
        let inFlight = InFlight()
        router.add(.GET, prefix: "/wait/") { request, responder in inFlight.hold(String(request.path), responder) }
        self.inFlight = inFlight
        let configuration = ServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), shutdownTimeout: .seconds(2))
        server = HTTPServer(
            configuration: configuration.enablingH2C(), handler: router,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let address = try server.start()
        base = "http://\(address.description)"
        port = Int(address.description.split(separator: ":").last!)!
    }

    private func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }

    @Test func getOverH2C() throws {
        defer { stop() }
        let (output, status) = try curl(["--http2-prior-knowledge", "-i", "-w", "|%{http_version}", "\(base)/hello"])
        #expect(status == 0)
        #expect(output.hasPrefix("HTTP/2 201"))
        #expect(output.lowercased().contains("x-test: yes"))
        #expect(output.lowercased().contains("content-length: 8"))
        #expect(!output.lowercased().contains("connection:"))
        #expect(output.hasSuffix("hello h2|2"))
    }

    @Test func postBodyIsEchoed() throws {
        defer { stop() }
        let body = #"{"symbol":"BTCUSDT","qty":"1.5"}"#
        let (output, status) = try curl(["--http2-prior-knowledge", "-i", "-d", body, "\(base)/echo"])
        #expect(status == 0)
        #expect(output.hasPrefix("HTTP/2 200"))
        #expect(output.lowercased().contains("x-method: post"))
        #expect(output.hasSuffix(body))
    }

    @Test func authorityBecomesHost() throws {
        defer { stop() }
        let (output, _) = try curl(["--http2-prior-knowledge", "\(base)/host"])
        #expect(output == base.dropFirst("http://".count))
    }

    @Test func largeBodyRespectsFlowControl() throws {
        defer { stop() }
        // 300 kB is several times the default 64 KiB stream window: only WINDOW_UPDATEs let it through.
        let (output, status) = try curl(["--http2-prior-knowledge", "-w", "|%{http_version}", "\(base)/big"])
        #expect(status == 0)
        #expect(output == String(repeating: "a", count: 300_000) + "|2")
    }

    @Test func unknownPathAndMethod() throws {
        defer { stop() }
        let missing = try curl(["--http2-prior-knowledge", "-w", "|%{http_code}", "\(base)/nope"]).output
        #expect(missing == #"{"code":404,"msg":"no route for /nope"}|404"#)
        let unknown = try curl(["--http2-prior-knowledge", "-X", "BREW", "-w", "|%{http_code}", "\(base)/hello"]).output
        #expect(unknown.hasSuffix("|501"))
    }

    @Test func twentyConcurrentStreamsOnOneConnection() throws {
        defer { stop() }
        let client = try RawH2Client(port: port)
        client.sendPreface()
        // All 20 requests in one write: 20 streams open at once on one connection.
        let streams = (0..<20).map { UInt32(2 * $0 + 1) }
        client.send(streams.flatMap { H2Frame.getHeaders(stream: $0, path: "/wait/\($0)").encoded })
        var bodies: [UInt32: String] = [:]
        var ended: Set<UInt32> = []
        while ended.count < 20, let frame = client.readFrame() {
            if frame.type == 0 { bodies[frame.stream, default: ""] += String(decoding: frame.payload, as: UTF8.self) }
            if frame.type <= 1 && frame.flags & 1 != 0 { ended.insert(frame.stream) }
        }
        #expect(ended == Set(streams))
        #expect(bodies == Dictionary(uniqueKeysWithValues: streams.map { ($0, "done /wait/\($0)") }))
        // The handler held them all at once (each for 300 ms).
        #expect(inFlight.maximum == 20)
        #expect(server.connectionCount == 1)
    }

    @Test func curlParallelTransfers() throws {
        defer { stop() }
        // curl 7.88 multiplexes poorly under prior knowledge; `--parallel-immediate` lets it use
        // several connections. Every transfer must still be HTTP/2 and complete.
        let urls = (0..<20).map { "\(base)/wait/\($0)" }
        let (output, status) = try curl(
            [
                "--http2-prior-knowledge", "--parallel", "--parallel-immediate",
                "--parallel-max", "20", "-w", "|%{http_version}\n",
            ] + urls)
        #expect(status == 0)
        // Bodies and `-w` outputs interleave in parallel mode: count them instead.
        #expect(output.components(separatedBy: "|2\n").count == 21)
        #expect((0..<20).allSatisfy { output.contains("done /wait/\($0)|") || output.contains("done /wait/\($0)done") })
    }

    @Test func http11StillServedOnTheSamePort() throws {
        defer { stop() }
        let (output, status) = try curl(["--http1.1", "-i", "-w", "|%{http_version}", "\(base)/hello"])
        #expect(status == 0)
        #expect(output.hasPrefix("HTTP/1.1 201 Created") || output.hasPrefix("HTTP/1.1 201"))
        #expect(output.hasSuffix("hello h2|1.1"))
        let h2 = try curl(["--http2-prior-knowledge", "-w", "|%{http_version}", "\(base)/hello"]).output
        #expect(h2 == "hello h2|2")
    }

    @Test func connectionsCloseAfterward() throws {
        defer { stop() }
        _ = try curl(["--http2-prior-knowledge", "\(base)/hello"])
        #expect(eventually { server.connectionCount == 0 })
    }
}
