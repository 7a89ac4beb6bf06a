#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport
import Testing

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
    /// A non-blocking client socket that sends what the kernel takes and never reads.
    final class Client {
        let fd: Int32

        init?(port: UInt16) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var receive: Int32 = 4096  // a small window, so unread answers back up in the gateway quickly
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                Glibc.close(fd)
                return nil
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        deinit { Glibc.close(fd) }

        /// Sends as much of `bytes` as the socket takes now; the count taken.
        @discardableResult
        func offer(_ bytes: [UInt8]) -> Int {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            return max(0, sent)
        }
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
                let client = try WireConnection(tcpPort: port, timeout: 20)
                try client.send("GET /healthz HTTP/1.1\r\n\(host)\r\n")
                let response = try client.readResponse()
                guard response.status == 200 else {
                    failures.append("\(response.status) \(response.body)")
                    return nil
                }
            } catch {
                failures.append("\(error) after \(Date().timeIntervalSince(start)) s, started at \(Int(DispatchTime.now().uptimeNanoseconds / 1_000_000) - Int(Date().timeIntervalSince(start) * 1000))")
                return nil
            }
            return Date().timeIntervalSince(start)
        }
        #expect(eventually(.seconds(10)) { served() != nil })
        let baseline = try #require(gateway.residentBytes)

        let flood = Array(String(repeating: "GET /healthz HTTP/1.1\r\n\(host)\r\n", count: 100).utf8)
        let pipelined = Array(String(repeating: "GET /openapi.json HTTP/1.1\r\n\(host)\r\n", count: 1000).utf8)
        let slowHead = Array("GET /healthz HTTP/1.1\r\n\(host)X-Padding: \(String(repeating: "p", count: 200))\r\n\r\n".utf8)
        let bodyHead = Array(("POST /v1/ws_futures_create_order HTTP/1.1\r\n\(host)Content-Type: application/json\r\n"
            + "Content-Length: 1000000\r\n\r\n").utf8)
        let bodyChunk = [UInt8](repeating: UInt8(ascii: " "), count: 8 * 1024)

        let flooders = (0..<250).compactMap { _ in Client(port: port) }
        let readers = (0..<250).compactMap { _ in Client(port: port) }
        let trickles = (0..<250).compactMap { _ in Client(port: port) }
        let uploaders = (0..<250).compactMap { _ in Client(port: port) }
        #expect(flooders.count + readers.count + trickles.count + uploaders.count == 1000)
        var offered = (flood: 0, upload: 0)
        var readerOffsets = [Int](repeating: 0, count: readers.count)
        for client in uploaders { client.offer(bodyHead) }

        var peak = baseline
        var slowest = 0.0
        var unanswered = 0
        let start = Date()
        var round = 0
        while Date().timeIntervalSince(start) < 6 {
            for client in flooders { offered.flood += client.offer(flood) }
            for (index, client) in readers.enumerated() where readerOffsets[index] < pipelined.count {
                readerOffsets[index] += client.offer(Array(pipelined[readerOffsets[index]...]))
            }
            if round < slowHead.count { for client in trickles { client.offer([slowHead[round]]) } }
            for client in uploaders { offered.upload += client.offer(bodyChunk) }
            round += 1
            peak = max(peak, gateway.residentBytes ?? 0)
            if round % 10 == 0 {
                if let seconds = served() { slowest = max(slowest, seconds) } else { unanswered += 1 }
            }
            usleep(50_000)
        }
        peak = max(peak, gateway.residentBytes ?? 0)
        let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        print("hostile clients: baseline RSS \(mib(baseline)), peak \(mib(peak)) with 1,000 clients over 6 s; "
            + "slowest well-behaved answer \(Int(slowest * 1000)) ms, \(unanswered) unanswered; "
            + "taken: \(offered.flood) flood bytes, \(readerOffsets.reduce(0, +)) pipelined, \(offered.upload) body bytes")
        #expect(failures.isEmpty, "\(failures)")
        #expect(peak <= 64 * 1_048_576, "peak RSS \(mib(peak))")
        #expect(gateway.isRunning)
    }
}
