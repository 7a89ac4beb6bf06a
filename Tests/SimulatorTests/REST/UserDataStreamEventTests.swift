import Foundation
import TestSupport
import Testing

@testable import Simulator

/// User data streams at `/ws/<listenKey>`: an order's life, its fills and the account's changes,
/// and a funding payment, arrive as `ORDER_TRADE_UPDATE` and `ACCOUNT_UPDATE` events.
@Suite struct UserDataStreamEventTests {
    /// A stream on a fresh listen key of the session's account, once the exchange follows it.
    static func stream(_ session: RESTClockSession) throws -> LoopbackWebSocket {
        let started = try session.server.client.send("POST", "/fapi/v1/listenKey", apiKey: RESTTestServer.apiKey)
        let listenKey = try #require((started.json as? [String: Any])?["listenKey"] as? String)
        let stream = try LoopbackWebSocket(port: session.server.client.port, path: "/ws/\(listenKey)")
        for _ in 0..<200 where session.server.exchange.userStreams.accounts.isEmpty { usleep(10_000) }
        #expect(session.server.exchange.userStreams.accounts == [RESTTestServer.apiKey])
        return stream
    }

    static func event(_ stream: LoopbackWebSocket) throws -> [String: Any] {
        let text = try #require(stream.receive(), "no event")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func aMarketOrderArrivesAsNewTradeAndAnAccountUpdate() throws {
        let session = try RESTClockSession()
        let stream = try Self.stream(session)
        let placed = try session.object(
            "POST", "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&newOrderRespType=RESULT")
        let new = try Self.event(stream)
        let order = try #require(new["o"] as? [String: Any])
        #expect(
            new["e"] as? String == "ORDER_TRADE_UPDATE" && order["x"] as? String == "NEW"
                && order["i"] as? Int == placed["orderId"] as? Int)
        var executed = Decimal(0)
        var update = try Self.event(stream)
        while update["e"] as? String == "ORDER_TRADE_UPDATE" {
            let trade = try #require(update["o"] as? [String: Any])
            #expect(trade["x"] as? String == "TRADE" && trade["m"] as? Bool == false)
            executed += Decimal(string: trade["l"] as? String ?? "") ?? 0
            #expect(Decimal(string: trade["z"] as? String ?? "") == executed)
            update = try Self.event(stream)
        }
        #expect(executed == Decimal(string: "0.010"))
        let account = try #require(update["a"] as? [String: Any])
        #expect(update["e"] as? String == "ACCOUNT_UPDATE" && account["m"] as? String == "ORDER")
        let position = try #require((account["P"] as? [[String: Any]])?.first)
        #expect(position["s"] as? String == "BTCUSDT" && position["pa"] as? String == "0.010")
        let balance = try #require((account["B"] as? [[String: Any]])?.first)
        #expect(Decimal(string: balance["wb"] as? String ?? "") == (try session.wallet()))
    }

    @Test func aCancellationAndAFundingPaymentArriveToo() throws {
        let session = try RESTClockSession()
        _ = try session.object("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010")
        let resting = try session.object(
            "POST", "/fapi/v1/order",
            "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=1000.00")
        let stream = try Self.stream(session)
        _ = try session.object("DELETE", "/fapi/v1/order", "symbol=ETHUSDT&orderId=\(resting["orderId"] as? Int ?? 0)")
        let canceled = try #require(try Self.event(stream)["o"] as? [String: Any])
        #expect(canceled["x"] as? String == "CANCELED" && canceled["X"] as? String == "CANCELED")

        let next = session.server.exchange.state.withLock { $0.funding.nextFundingTime(after: session.now) }
        session.advance(to: next + 1)
        _ = try session.server.get("/fapi/v1/time")
        let funding = try Self.event(stream)
        let account = try #require(funding["a"] as? [String: Any])
        #expect(funding["e"] as? String == "ACCOUNT_UPDATE" && account["m"] as? String == "FUNDING_FEE", "\(funding)")
        #expect(try session.rows("/fapi/v1/income", "incomeType=FUNDING_FEE").count == 1)
        let wallet = (account["B"] as? [[String: Any]])?.first?["wb"] as? String
        #expect(Decimal(string: wallet ?? "") == (try session.wallet()), "the event's wallet is the account's")
    }

    @Test func aRestingOrderFilledByTheMovingMarketArrivesAsAMakerTrade() throws {
        let session = try RESTClockSession()
        let book = try #require(try session.server.get("/fapi/v1/depth?symbol=ETHUSDT&limit=5").json as? [String: Any])
        let bid = try #require((book["bids"] as? [[String]])?.first?.first)
        _ = try session.object(
            "POST", "/fapi/v1/order", "symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.100&price=\(bid)")
        let stream = try Self.stream(session)
        for _ in 0..<2_000 where try session.rows("/fapi/v1/openOrders", "symbol=ETHUSDT").count == 1 {
            session.server.exchange.stepMarkets()
        }
        let trade = try #require(try Self.event(stream)["o"] as? [String: Any])
        #expect(
            trade["x"] as? String == "TRADE" && trade["m"] as? Bool == true && trade["L"] as? String == bid, "\(trade)")
        #expect(trade["X"] as? String == "FILLED" || trade["X"] as? String == "PARTIALLY_FILLED")
    }
}
