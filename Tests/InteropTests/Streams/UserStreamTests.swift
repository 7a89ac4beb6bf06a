import Foundation
import Simulator
import Streams
import TestSupport
import Testing

/// The `user` stream through the gateway, the simulator upstream: the gateway's own listen key,
/// the local listen-key endpoints, the account's events on WebSocket and SSE.
@Suite(.serialized) struct UserStreamTests {
    static let order = #"{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.010"}"#

    /// Waits until a subscriber of `user` follows the account upstream (the simulator sends a
    /// user event only to streams open when it happens).
    static func waitForUserStream(_ venue: Venue) {
        _ = eventually(.seconds(5)) {
            !venue.journal.webSocketRequests(method: "userDataStream.start").isEmpty
        }
        usleep(300_000)
    }

    @Test func anOrderPlacedThroughTheGatewayReachesTheLocalUserStreamWithinOneSecond() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/ws/user")
        Self.waitForUserStream(venue)
        let placed = try venue.client().request("POST", "/v1/ws_futures_create_order", body: Self.order)
        let sentAt = ContinuousClock.now
        #expect(placed.status == 200, "\(placed.body)")
        let event = try #require(stream.receiveObject())
        #expect(ContinuousClock.now - sentAt < .seconds(1))
        #expect(event["e"] as? String == "ORDER_TRADE_UPDATE", "\(event)")
        #expect((event["o"] as? [String: Any])?["s"] as? String == "BTCUSDT")
        await venue.stop()
    }

    @Test func aLocalListenKeyOpensTheSharedUserStreamAndAnUnknownOneIsRefused() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let client = try venue.client()
        let created = try client.request("POST", "/fapi/v1/listenKey")
        let key = try #require(
            (try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["listenKey"] as? String
        )
        #expect(try client.request("POST", "/fapi/v1/listenKey").body.contains(key), "POST again: the same key")
        #expect(try client.request("PUT", "/fapi/v1/listenKey").status == 200)
        let stream = try LoopbackWebSocket(port: venue.port, path: "/private/ws?listenKey=\(key)")
        Self.waitForUserStream(venue)
        #expect(try client.request("POST", "/v1/ws_futures_create_order", body: Self.order).status == 200)
        let event = try #require(stream.receive())
        #expect(event.contains(#""e":"ORDER_TRADE_UPDATE""#), "\(event)")
        #expect(throws: LoopbackWebSocket.Failure.self) {
            try LoopbackWebSocket(port: venue.port, path: "/private/ws?listenKey=notAKey")
        }
        #expect(try client.request("DELETE", "/fapi/v1/listenKey").status == 200)
        let refused = try client.request("PUT", "/fapi/v1/listenKey")
        #expect(refused.status == 400 && refused.body.contains("-1125"), "\(refused.body)")
        await venue.stop()
    }

    @Test func serverSentEventsCarryTheUserStreamToARawHTTPReader() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let reader = try LoopbackClient(tcpPort: venue.port)
        try reader.send("GET /v1/events?streams=user HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 42\r\n\r\n")
        let head = try reader.readHead()
        #expect(
            head.hasPrefix("HTTP/1.1 200") && head.lowercased().contains("content-type: text/event-stream"), "\(head)")
        Self.waitForUserStream(venue)
        #expect(try venue.client().request("POST", "/v1/ws_futures_create_order", body: Self.order).status == 200)
        let wanted = Array("event: user\ndata: {\"e\":\"ORDER_TRADE_UPDATE\"".utf8)
        let found = eventually(.seconds(3)) {
            if reader.buffered.count > 0,
                String(decoding: reader.buffered, as: UTF8.self).contains(String(decoding: wanted, as: UTF8.self))
            {
                return true
            }
            _ = try? reader.receive()
            return false
        }
        #expect(found, "\(String(decoding: reader.buffered, as: UTF8.self))")
        await venue.stop()
    }

    @Test func controlMessagesAreAnsweredLocallyInTheExchangesWords() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/stream?streams=user")
        #expect(stream.call(#"{"method":"LIST_SUBSCRIPTIONS","id":3}"#)?["result"] as? [String] == ["user"])
        #expect(stream.call(#"{"method":"GET_PROPERTY","params":["combined"],"id":2}"#)?["result"] as? Bool == true)
        let answers: [(String, Int)] = [
            (#"{"method":"SET_PROPERTY","params":["fast",true],"id":5}"#, 0),
            (#"{"method":"SET_PROPERTY","params":["combined","yes"],"id":6}"#, 1),
            (#"{"method":"SUBSCRIBE","params":["bad name"],"id":7}"#, 2),
            (#"{"method":"PUBLISH","id":8}"#, 2),
            (#"{"method":"SUBSCRIBE","params":[],"id":-1}"#, 2),
            ("{not json", 3),
        ]
        for (request, code) in answers {
            let answer = stream.call(request)
            #expect(
                (answer?["error"] as? [String: Any])?["code"] as? Int == code,
                "\(request) → \(String(describing: answer))")
        }
        usleep(1_100_000)  // 8 messages so far; the connection takes 10 a second
        #expect(stream.call(#"{"method":"SET_PROPERTY","params":["combined",false],"id":9}"#)?["id"] as? Int == 9)
        #expect(stream.call(#"{"method":"UNSUBSCRIBE","params":["user"],"id":10}"#)?["id"] as? Int == 10)
        #expect(stream.call(#"{"method":"LIST_SUBSCRIPTIONS","id":11}"#)?["result"] as? [String] == [])
        await venue.stop()
    }

    @Test func anExpiredListenKeyIsReplacedAndTheClientSeesAGapNotTheKey() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/ws/user")
        Self.waitForUserStream(venue)
        var faults = SimulatorFaults()
        faults.expireListenKeys = true
        venue.faults.replace(with: faults)
        venue.faults.replace(with: SimulatorFaults())
        let gap = try #require(stream.receiveObject())
        #expect(gap["e"] as? String == "gatewayGap" && gap["stream"] as? String == "user", "\(gap)")
        #expect(
            eventually(.seconds(5)) { venue.journal.webSocketRequests(method: "userDataStream.start").count >= 2 },
            "a new key")
        usleep(300_000)
        #expect(try venue.client().request("POST", "/v1/ws_futures_create_order", body: Self.order).status == 200)
        let event = try #require(stream.receive())
        #expect(event.contains(#""e":"ORDER_TRADE_UPDATE""#), "events again: \(event)")
        #expect(!event.contains("listenKey"))
        await venue.stop()
    }

    @Test func moreThanTenMessagesInASecondCloseTheConnection() async throws {
        let venue = try Venue(streams: StreamHubSettings())
        let stream = try LoopbackWebSocket(port: venue.port, path: "/ws")
        for id in 0..<11 { stream.send(#"{"method":"LIST_SUBSCRIPTIONS","id":\#(id)}"#) }
        var answers = 0
        while stream.receive() != nil { answers += 1 }
        #expect(answers == 10)
        #expect(stream.closeCode == 1008)
        await venue.stop()
    }
}
