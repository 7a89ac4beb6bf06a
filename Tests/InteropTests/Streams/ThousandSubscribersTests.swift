import Foundation
import HTTPServer
import Streams
import TestSupport
import Testing

/// A thousand local subscribers of one stream, none of them reading: one upstream subscription,
/// and the process's memory grows by no more than the subscribers' queues allow (64 KiB each
/// here) plus their sockets, however long the stream runs. Bounded: 1,000 loopback connections
/// for about five seconds.
@Suite(.serialized) struct ThousandSubscribersTests {
    static let stream = "btcusdt@depth@100ms"

    static var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kilobytes * 1024
    }

    @Test func aThousandSubscribersShareOneUpstreamSubscriptionInBoundedMemory() async throws {
        _ = HTTPServer.raiseOpenFileLimit()
        let queueBytes = 64 * 1024
        let venue = try Venue(
            streams: StreamHubSettings(), subscriberLimits: SubscriberLimits(maxFrames: 256, maxBytes: queueBytes),
            marketStepInterval: .milliseconds(5))
        let before = Self.residentBytes
        var clients: [LoopbackWebSocket] = []
        for _ in 0..<1000 {
            clients.append(
                try LoopbackWebSocket(port: venue.port, path: "/public/ws/\(Self.stream)", receiveBufferSize: 4096))
        }
        #expect(eventually(.seconds(5)) { venue.gateway.streams?.counters.subscriptions == 1000 })
        #expect(eventually(.seconds(5)) { MarketStreamTests.upstreamCount(venue, Self.stream) == 1 })
        for client in clients.prefix(10) { #expect(client.receiveObject()?["e"] as? String == "depthUpdate") }
        usleep(4_000_000)  // the stream runs on; nobody reads
        let grown = Self.residentBytes - before
        let counters = try #require(venue.gateway.streams?.counters)
        #expect(MarketStreamTests.upstreamCount(venue, Self.stream) == 1)
        // Queues (64 KiB each) plus per-connection state and socket buffers in user space.
        let budget = 1000 * (2 * queueBytes + 64 * 1024)
        #expect(grown < budget, "RSS grew \(grown / 1024) KiB for 1,000 subscribers; budget \(budget / 1024) KiB")
        print(
            "1,000 subscribers: RSS +\(grown / 1024) KiB, frames delivered \(counters.framesDelivered), "
                + "slow consumers closed \(counters.slowConsumers), upstream streams \(counters.upstreamStreams)")
        clients.removeAll()
        #expect(eventually(.seconds(10)) { MarketStreamTests.upstreamCount(venue, Self.stream) == 0 })
        await venue.stop()
    }
}
