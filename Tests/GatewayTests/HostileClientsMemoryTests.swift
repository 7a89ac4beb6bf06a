import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A thousand hostile local clients against one `serve` process, for a bounded time: 250 flood it
/// with requests and never read, 250 pipeline requests for the 200 KB contract and never read,
/// 250 trickle a request head a byte at a time, 250 send 1 MB bodies 8 KiB at a time, so that
/// each would hold most of a megabyte when the test ends.
/// The gateway's resident memory is sampled from /proc the whole time and must stay within
/// 64 MiB, and a well-behaved client must still be answered (within 20 s: the tests run a debug
/// build, where the first burst of hostile requests takes seconds of CPU; `scripts/bench`
/// measures the release build).
@Suite("hostile clients against memory", .serialized)
struct HostileClientsMemoryTests {
    /// A client socket that sends what the kernel takes now and never reads; its small receive
    /// window makes unread answers back up in the gateway quickly.
    private static func hostileClient(_ port: UInt16) -> LoopbackClient? {
        try? LoopbackClient(.tcp(port: port), receiveBufferSize: 4096)
    }

    @Test func aThousandHostileClientsStayWithin64MiB() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)

        let gateway = try GatewayProcess(["serve", "--listen", "127.0.0.1:0"])
        defer { gateway.send(SIGKILL) }
        let url = try #require(gateway.listeningAddress(), "stderr: \(gateway.standardError)")
        let port = try #require(url.split(separator: ":").last.flatMap { UInt16($0) })
        let host = "Host: 127.0.0.1:\(port)\r\n"
        var failures: [String] = []
        func served() -> Double? {
            let start = Date()
            do {
                let client = try LoopbackClient(tcpPort: port, timeout: .seconds(20))
                try client.send("GET /healthz HTTP/1.1\r\n\(host)\r\n")
                let response = try client.readResponse()
                guard response.status == 200 else {
                    failures.append("\(response.status) \(response.body)")
                    return nil
                }
            } catch {
                failures.append(
                    "\(error) after \(Date().timeIntervalSince(start)) s, started at \(Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) - Int(Date().timeIntervalSince(start) * 1000))"
                )
                return nil
            }
            return Date().timeIntervalSince(start)
        }
        #expect(eventually(.seconds(10)) { served() != nil })
        let baseline = try #require(gateway.residentBytes)

        let flood = Array(String(repeating: "GET /healthz HTTP/1.1\r\n\(host)\r\n", count: 100).utf8)
        let pipelined = Array(String(repeating: "GET /openapi.json HTTP/1.1\r\n\(host)\r\n", count: 1000).utf8)
        let slowHead = Array(
            "GET /healthz HTTP/1.1\r\n\(host)X-Padding: \(String(repeating: "p", count: 200))\r\n\r\n".utf8)
        let bodyHead = Array(
            ("POST /v1/ws_futures_create_order HTTP/1.1\r\n\(host)Content-Type: application/json\r\n"
                + "Content-Length: 1000000\r\n\r\n").utf8)
        let bodyChunk = [UInt8](repeating: UInt8(ascii: " "), count: 8 * 1024)

        let flooders = (0..<250).compactMap { _ in Self.hostileClient(port) }
        let readers = (0..<250).compactMap { _ in Self.hostileClient(port) }
        let trickles = (0..<250).compactMap { _ in Self.hostileClient(port) }
        let uploaders = (0..<250).compactMap { _ in Self.hostileClient(port) }
        #expect(flooders.count + readers.count + trickles.count + uploaders.count == 1000)
        var offered = (flood: 0, upload: 0)
        var readerOffsets = [Int](repeating: 0, count: readers.count)
        for client in uploaders { _ = try? client.sendAvailable(bodyHead) }

        var peak = baseline
        var slowest = 0.0
        var unanswered = 0
        let start = Date()
        var round = 0
        while Date().timeIntervalSince(start) < 6 {
            for client in flooders { offered.flood += (try? client.sendAvailable(flood)) ?? 0 }
            for (index, client) in readers.enumerated() where readerOffsets[index] < pipelined.count {
                readerOffsets[index] += (try? client.sendAvailable(Array(pipelined[readerOffsets[index]...]))) ?? 0
            }
            if round < slowHead.count { for client in trickles { _ = try? client.sendAvailable([slowHead[round]]) } }
            for client in uploaders { offered.upload += (try? client.sendAvailable(bodyChunk)) ?? 0 }
            round += 1
            peak = max(peak, gateway.residentBytes ?? 0)
            if round % 10 == 0 {
                if let seconds = served() { slowest = max(slowest, seconds) } else { unanswered += 1 }
            }
            usleep(50_000)
        }
        peak = max(peak, gateway.residentBytes ?? 0)
        let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        print(
            "hostile clients: baseline RSS \(mib(baseline)), peak \(mib(peak)) with 1,000 clients over 6 s; "
                + "slowest well-behaved answer \(Int(slowest * 1000)) ms, \(unanswered) unanswered; "
                + "taken: \(offered.flood) flood bytes, \(readerOffsets.reduce(0, +)) pipelined, \(offered.upload) body bytes"
        )
        #expect(failures.isEmpty, "\(failures)")
        #expect(peak <= 64 * 1_048_576, "peak RSS \(mib(peak))")
        #expect(gateway.isRunning)
    }
}
