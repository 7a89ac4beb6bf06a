import Foundation
import TestSupport
import Testing

@testable import Simulator

/// The other market streams and the stream faults, over real sockets: book tickers, aggregate
/// trades from fills, mark prices and klines, routing, a skipped depth event, dropped
/// connections, the admin view and listen-key expiry.
@Suite struct StreamEventTests {
    static func admin(_ session: RESTClockSession, _ path: String, _ body: String? = nil) throws -> [String: Any] {
        let response =
            if let body { try session.server.client.send("POST", path, body: body) } else {
                try session.server.get(path)
            }
        #expect(response.status == 200, "\(response.body)")
        return try #require(response.json as? [String: Any], "\(response.body)")
    }

    @Test func aFillArrivesAsAnAggregateTradeWithItsTapeId() throws {
        let session = try RESTClockSession()
        let stream = try LoopbackWebSocket(port: session.server.client.port, path: "/market/ws/btcusdt@aggTrade")
        MarketStreamTests.waitForSubscribers(session.server.exchange)
        _ = try session.object("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010")
        let trade = try #require(stream.receiveObject(), "an aggTrade after the fill")
        #expect(
            trade["e"] as? String == "aggTrade" && trade["s"] as? String == "BTCUSDT" && trade["m"] as? Bool == false)
        let tape = try session.rows("/fapi/v1/aggTrades", "symbol=BTCUSDT&fromId=\(trade["a"] as? Int ?? 0)&limit=1")
        #expect(tape.first?["a"] as? Int == trade["a"] as? Int && tape.first?["p"] as? String == trade["p"] as? String)
        #expect(tape.first?["q"] as? String == trade["q"] as? String && tape.first?["T"] as? Int == trade["T"] as? Int)
    }

    @Test func aMarketStreamOnAnUnroutedPathIsSilentAndAPublicOneIsNot() throws {
        let session = try RESTClockSession()
        let legacy = try LoopbackWebSocket(
            port: session.server.client.port, path: "/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker")
        let market = try LoopbackWebSocket(port: session.server.client.port, path: "/public/ws/btcusdt@aggTrade")
        MarketStreamTests.waitForSubscribers(session.server.exchange)
        _ = try session.object("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010")
        #expect(market.receive(within: .milliseconds(300)) == nil, "aggTrade is not on the public route")
        var frames: [[String: Any]] = []
        while let frame = legacy.receiveObject(within: .milliseconds(300)) { frames.append(frame) }
        session.server.exchange.stepMarkets()
        while let frame = legacy.receiveObject(within: .milliseconds(300)) { frames.append(frame) }
        #expect(!frames.isEmpty && frames.allSatisfy { $0["stream"] as? String == "btcusdt@bookTicker" }, "\(frames)")
        let ticker = try #require(frames.last?["data"] as? [String: Any])
        let own = session.server.exchange.state.withLock { $0.market.currentBook(SymbolSpec.all[0], depth: 1) }
        #expect(ticker["e"] as? String == "bookTicker" && ticker["u"] as? Int == Int(own.updateID))
        #expect(ticker["b"] as? String == SymbolSpec.all[0].formatPrice(own.bids[0].price))
    }

    @Test func aSkippedDepthEventBreaksThePuChain() throws {
        let session = try RESTClockSession(faults: MarketStreamTests.faults())
        let stream = try LoopbackWebSocket(port: session.server.client.port, path: "/public/ws/ethusdt@depth@100ms")
        MarketStreamTests.waitForSubscribers(session.server.exchange)
        session.server.exchange.stepMarkets()
        let first = try #require(stream.receiveObject())
        _ = try Self.admin(session, "/admin/faults", #"{"skipDepthEvents":1}"#)
        session.server.exchange.stepMarkets()
        session.server.exchange.stepMarkets()
        let after = try #require(stream.receiveObject())
        #expect(after["pu"] as? Int != first["u"] as? Int, "the gap shows")
        #expect(after["pu"] as? Int == (first["u"] as? Int ?? 0) + 7, "exactly one event is missing")
        session.server.exchange.stepMarkets()
        #expect(stream.receiveObject()?["pu"] as? Int == after["u"] as? Int, "the chain goes on")
    }

    @Test func theAdminViewShowsEachConnectionsRouteAndStreamsAndDropStreamsClosesThem() throws {
        let session = try RESTClockSession(faults: MarketStreamTests.faults())
        let socket = try LoopbackWebSocket(port: session.server.client.port, path: "/market/ws")
        #expect(socket.call(#"{"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s"],"id":1}"#)?["id"] as? Int == 1)
        let view = try Self.admin(session, "/admin/streams")
        let connections = try #require(view["connections"] as? [[String: Any]])
        #expect(connections.count == 1 && connections[0]["route"] as? String == "market")
        #expect(
            connections[0]["streams"] as? [String] == ["btcusdt@markPrice@1s"] && view["subscribeMessages"] as? Int == 1
        )
        let mark = try #require(socket.receiveObject(within: .seconds(3)), "a mark price within a second")
        #expect(mark["e"] as? String == "markPriceUpdate" && mark["s"] as? String == "BTCUSDT")
        let premium = try #require(
            try session.server.get("/fapi/v1/premiumIndex?symbol=BTCUSDT").json as? [String: Any])
        #expect(
            mark["T"] as? Int == premium["nextFundingTime"] as? Int
                && mark["r"] as? String == premium["lastFundingRate"] as? String)
        _ = try Self.admin(session, "/admin/faults", #"{"dropStreams":true}"#)
        while socket.receive(within: .seconds(3)) != nil {}
        #expect(try #require(try Self.admin(session, "/admin/streams")["connections"] as? [Any]).isEmpty)
    }

    @Test func aKlineStreamCarriesTheCurrentBucketAsRESTShowsIt() throws {
        let session = try RESTClockSession()
        let stream = try LoopbackWebSocket(
            port: session.server.client.port, path: "/market/stream?streams=ethusdt@kline_1m")
        let frame = try #require(stream.receiveObject(within: .seconds(3)))
        let kline = try #require((frame["data"] as? [String: Any])?["k"] as? [String: Any])
        let rows = try #require(
            try session.server.get("/fapi/v1/klines?symbol=ETHUSDT&interval=1m&limit=1").json as? [[Any]])
        #expect(frame["stream"] as? String == "ethusdt@kline_1m" && kline["i"] as? String == "1m")
        #expect(kline["t"] as? Int == rows[0][0] as? Int && kline["o"] as? String == rows[0][1] as? String)
        #expect(kline["c"] as? String == rows[0][4] as? String && kline["n"] as? Int == rows[0][8] as? Int)
    }

    @Test func anExpiredListenKeyIsAnnouncedWithAStringTimeAndIsGone() throws {
        let session = try RESTClockSession()
        let started = try session.server.client.send("POST", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        let key = try #require((started.json as? [String: Any])?["listenKey"] as? String)
        let stream = try LoopbackWebSocket(port: session.server.client.port, path: "/private/ws/\(key)")
        for _ in 0..<200 where session.server.exchange.userStreams.accounts.isEmpty { usleep(10_000) }
        session.advance(to: session.now + 30 * 60_000)
        let kept = try session.server.client.send("PUT", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        #expect(kept.status == 200)
        session.advance(to: session.now + 59 * 60_000)
        #expect(
            stream.receive(within: .milliseconds(600)) == nil, "a kept-alive key lives 60 minutes from the keepalive")
        session.advance(to: session.now + 2 * 60_000)
        let expired = try #require(stream.receiveObject(within: .seconds(3)))
        #expect(expired["e"] as? String == "listenKeyExpired" && expired["listenKey"] as? String == key)
        #expect(expired["E"] as? String == String(session.now), "E is the expiry time, as a string")
        let again = try session.server.client.send("PUT", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        #expect(again.status == 400 && (again.json as? [String: Any])?["code"] as? Int == -1125)
        #expect(throws: LoopbackWebSocket.Failure.self) {
            try LoopbackWebSocket(port: session.server.client.port, path: "/private/ws/\(key)")
        }
    }

    @Test func theExpireListenKeysFaultExpiresEveryKeyNow() throws {
        let session = try RESTClockSession(faults: MarketStreamTests.faults())
        let started = try session.server.client.send("POST", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        let key = try #require((started.json as? [String: Any])?["listenKey"] as? String)
        let stream = try LoopbackWebSocket(port: session.server.client.port, path: "/private/ws?listenKey=\(key)")
        for _ in 0..<200 where session.server.exchange.userStreams.accounts.isEmpty { usleep(10_000) }
        _ = try Self.admin(session, "/admin/faults", #"{"expireListenKeys":true}"#)
        let expired = try #require(stream.receiveObject())
        #expect(expired["e"] as? String == "listenKeyExpired" && expired["E"] is String)
        let renewed = try session.server.client.send("POST", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        #expect((renewed.json as? [String: Any])?["listenKey"] as? String != key, "a new key after expiry")
    }
}
