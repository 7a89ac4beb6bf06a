import Foundation
import Simulator
import Streams
import TestSupport
import Testing

/// Market streams through the gateway's hub, the simulator upstream (its market stepping every
/// 50 ms): one upstream subscription for many local subscribers, mixed routes on one local
/// connection, a dropped upstream, a slow consumer.
@Suite(.serialized) struct MarketStreamTests {
    static let depth = "btcusdt@depth@100ms"

    /// The simulator's `GET /admin/streams`: each connection's route and streams, and how many
    /// SUBSCRIBE messages it accepted.
    static func upstreamView(
        _ venue: Venue
    ) throws -> (connections: [(route: String, streams: [String])], subscribes: Int) {
        let answer = try GatewayClient(port: venue.simulatorPort).request("GET", "/admin/streams")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        let connections = (object["connections"] as? [[String: Any]] ?? []).map {
            (route: $0["route"] as? String ?? "", streams: $0["streams"] as? [String] ?? [])
        }
        return (connections, object["subscribeMessages"] as? Int ?? -1)
    }

    /// Upstream subscriptions of `stream`, over every connection.
    static func upstreamCount(_ venue: Venue, _ stream: String) -> Int {
        ((try? upstreamView(venue))?.connections ?? []).reduce(0) { $0 + $1.streams.filter { $0 == stream }.count }
    }

    @Test func aHundredLocalSubscribersMakeOneUpstreamSubscriptionAndLeavingUnsubscribes() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        var clients: [LoopbackWebSocket] = []
        for index in 0..<100 {
            let path = index % 2 == 0 ? "/public/ws/\(Self.depth)" : "/stream?streams=\(Self.depth)"
            clients.append(try LoopbackWebSocket(port: venue.port, path: path))
        }
        #expect(eventually(.seconds(5)) { Self.upstreamCount(venue, Self.depth) == 1 })
        for (index, client) in clients.enumerated() {
            let frame = try #require(client.receiveObject(), "client \(index) got nothing")
            let payload = index % 2 == 0 ? frame : frame["data"] as? [String: Any] ?? [:]
            #expect(payload["e"] as? String == "depthUpdate", "client \(index): \(frame)")
            if index % 2 == 1 { #expect(frame["stream"] as? String == Self.depth) }
        }
        let view = try Self.upstreamView(venue)
        #expect(view.subscribes == 1, "one SUBSCRIBE upstream for 100 local subscribers")
        #expect(Self.upstreamCount(venue, Self.depth) == 1)
        clients.removeAll()
        #expect(eventually(.seconds(5)) { Self.upstreamCount(venue, Self.depth) == 0 }, "all left: unsubscribed")
        await venue.stop()
    }

    @Test func publicAndMarketStreamsMixOnOneLocalConnection() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=\(Self.depth)/btcusdt@markPrice@1s")
        var seen: Set<String> = []
        let deadline = ContinuousClock.now + .seconds(10)
        while seen.count < 2, ContinuousClock.now < deadline, let frame = stream.receiveObject() {
            if let name = frame["stream"] as? String { seen.insert(name) }
        }
        #expect(seen == [Self.depth, "btcusdt@markPrice@1s"])
        let routes = try Self.upstreamView(venue).connections.filter { !$0.streams.isEmpty }.map(\.route).sorted()
        #expect(routes == ["market", "public"], "each stream went to its own route upstream")
        await venue.stop()
    }

    @Test func aDroppedUpstreamGivesAGapMarkerAndTheStreamResumes() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=\(Self.depth)")
        #expect(stream.receiveObject()?["stream"] as? String == Self.depth)
        var faults = SimulatorFaults()
        faults.dropStreams = true
        venue.faults.replace(with: faults)
        venue.faults.replace(with: SimulatorFaults())
        var gap: [String: Any]?
        var resumed = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !resumed, ContinuousClock.now < deadline, let frame = stream.receiveObject() {
            let data = frame["data"] as? [String: Any] ?? [:]
            if data["e"] as? String == "gatewayGap" {
                gap = data
            } else if gap != nil, data["e"] as? String == "depthUpdate" {
                resumed = true
            }
        }
        #expect(gap?["stream"] as? String == Self.depth, "a gap marker for the stream")
        #expect(gap?["E"] is Int && gap?["reason"] is String)
        #expect(resumed, "frames again after the hub resubscribed")
        await venue.stop()
    }

    @Test func anOldUpstreamConnectionIsReplacedMakeBeforeBreakWithoutAGap() async throws {
        var settings = StreamHubSettings()
        settings.rotateAfter = .seconds(1)
        let venue = try Venue(streams: settings)
        let stream = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=\(Self.depth)")
        #expect(stream.receiveObject()?["stream"] as? String == Self.depth)
        #expect(eventually(.seconds(5)) { (venue.gateway.streams?.counters.rotations ?? 0) >= 1 })
        var frames = 0
        let until = ContinuousClock.now + .milliseconds(1500)
        while ContinuousClock.now < until, let frame = stream.receiveObject() {
            #expect((frame["data"] as? [String: Any])?["e"] as? String == "depthUpdate", "no gap: \(frame)")
            frames += 1
        }
        #expect(frames > 5, "the stream went on across the rotation")
        #expect(venue.gateway.streams?.counters.gaps == 0)
        #expect(Self.upstreamCount(venue, Self.depth) == 1, "the old connection is gone")
        await venue.stop()
    }

    /// Five streams that carry many frames with the market stepping every 2 ms.
    static let busyStreams = "btcusdt@depth@100ms/btcusdt@depth/ethusdt@depth/!bookTicker/btcusdt@aggTrade"

    /// A venue whose subscribers may hold 16 KiB (64 frames) before they count as slow.
    static func busyVenue() throws -> Venue {
        try Venue(
            streams: StreamHubSettings(), subscriberLimits: SubscriberLimits(maxFrames: 64, maxBytes: 16 * 1024),
            marketStepInterval: .milliseconds(2))
    }

    @Test func aSlowEventStreamReaderGetsAFinalEventAndTheResponseEnds() async throws {
        let venue = try Self.busyVenue()
        let streams = Self.busyStreams
        let reader = try LoopbackClient(.tcp(port: venue.port), timeout: .seconds(20), receiveBufferSize: 2048)
        try reader.send("GET /v1/events?streams=\(streams) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(eventually(.seconds(20)) { venue.gateway.streams?.counters.slowConsumers == 1 })
        let rest = String(decoding: try reader.readUntilClose(), as: UTF8.self)
        #expect(rest.hasSuffix("event: gatewayClosed\ndata: {\"reason\":\"slow consumer\"}\n\n"), "\(rest.suffix(200))")
        await venue.stop()
    }

    @Test func aSlowConsumerIsClosedWith1008WhileAFastOneKeepsReceiving() async throws {
        let venue = try Self.busyVenue()
        let streams = Self.busyStreams
        let slow = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=\(streams)", receiveBufferSize: 2048)
        let fast = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=\(streams)")
        var received = 0
        let closed = eventually(.seconds(20)) {
            while fast.receive(within: .milliseconds(5)) != nil { received += 1 }
            return venue.gateway.streams?.counters.slowConsumers == 1
        }
        #expect(closed, "the slow reader was closed")
        while slow.receive() != nil {}
        #expect(slow.closeCode == 1008 && slow.closeReason == "slow consumer")
        let before = received
        for _ in 0..<20 { if fast.receive() != nil { received += 1 } }
        #expect(received > before + 10, "the fast reader still receives")
        await venue.stop()
    }
}
