import Foundation
import TestSupport
import Testing

@testable import Simulator

/// Isolated position margin through real sockets: `marginType` and `positionMargin` over REST,
/// the position and the wallet over the WebSocket API, number by number.
@Suite struct IsolatedMarginTests {
    /// One simulator, one WebSocket and the REST client, at a clock that does not move.
    struct Session {
        let sim: LoopbackSimulator
        let socket: LoopbackWebSocket

        init() throws {
            sim = try LoopbackSimulator()
            socket = try sim.connect()
        }

        func post(_ path: String, _ params: String) throws -> RESTTestClient.Response {
            try sim.rest.send(
                "POST", path, apiKey: AuthTestSupport.apiKey, body: RESTTestServer.signed(params, timestamp: sim.now))
        }

        /// The `result` of a signed WebSocket call.
        func result(_ method: String, _ params: [(String, String)] = []) throws -> Any {
            let answer = socket.call(try sim.signedFrame(method, id: method, params))
            return try #require(answer?["result"], "\(method): \(String(describing: answer))")
        }

        func row(_ method: String, _ params: [(String, String)] = []) throws -> [String: Any] {
            try #require((try result(method, params) as? [[String: Any]])?.first)
        }

        /// The BTCUSDT row of a status answer's `positions`.
        func statusPosition(_ method: String) throws -> [String: Any] {
            let status = try #require(try result(method) as? [String: Any])
            let positions = try #require(status["positions"] as? [[String: Any]])
            return try #require(positions.first { $0["symbol"] as? String == "BTCUSDT" })
        }
    }

    static func decimal(_ value: Any?) -> Decimal { Decimal(string: value as? String ?? "") ?? .nan }

    @Test func addedAndRemovedMarginShowsInPositionAndBalance() throws {
        let session = try Session()
        #expect(try session.post("/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED").status == 200)
        let placed = try #require(
            try session.result(
                "order.place",
                [
                    ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.010"),
                    ("newOrderRespType", "RESULT"),
                ]) as? [String: Any])
        #expect(placed["status"] as? String == "FILLED")
        // Opening under ISOLATED sets the initial margin aside: notional / leverage (20).
        let opening = Self.decimal(placed["cumQuote"]) / 20

        func check(wallet expected: Decimal, _ note: Comment) throws -> [String: Any] {
            let position = try session.row("account.position", [("symbol", "BTCUSDT")])
            #expect(position["marginType"] as? String == "isolated", note)
            let wallet = Self.decimal(position["isolatedWallet"])
            #expect(abs(wallet - expected) < 0.00000002, note)
            #expect(
                Self.decimal(position["isolatedMargin"]) == wallet + Self.decimal(position["unRealizedProfit"]), note)
            let v2 = try session.row("v2/account.position", [("symbol", "BTCUSDT")])
            #expect(v2["isolatedWallet"] as? String == position["isolatedWallet"] as? String, note)
            #expect(v2["isolatedMargin"] as? String == position["isolatedMargin"] as? String, note)
            let status = try session.statusPosition("account.status")
            #expect(status["isolated"] as? Bool == true, note)
            #expect(
                try session.statusPosition("v2/account.status")["isolatedWallet"] as? String == position[
                    "isolatedWallet"] as? String)
            let balance = try session.row("account.balance")
            // The whole wallet keeps the isolated part; the cross side is what is left.
            #expect(Self.decimal(balance["crossWalletBalance"]) == Self.decimal(balance["balance"]) - wallet, note)
            return balance
        }

        let start = try check(wallet: opening, "opened")
        let added = try session.post("/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=100&type=1")
        #expect(added.body == #"{"amount":100.0,"code":200,"msg":"Successfully modify position margin.","type":1}"#)
        let afterAdd = try check(wallet: opening + 100, "added 100")
        #expect(Self.decimal(afterAdd["balance"]) == Self.decimal(start["balance"]))
        #expect(Self.decimal(afterAdd["crossWalletBalance"]) == Self.decimal(start["crossWalletBalance"]) - 100)
        #expect(Self.decimal(afterAdd["availableBalance"]) == Self.decimal(start["availableBalance"]) - 100)

        #expect(try session.post("/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=40&type=2").status == 200)
        let afterRemove = try check(wallet: opening + 60, "removed 40")
        #expect(Self.decimal(afterRemove["crossWalletBalance"]) == Self.decimal(afterAdd["crossWalletBalance"]) + 40)
        #expect(Self.decimal(afterRemove["availableBalance"]) == Self.decimal(afterAdd["availableBalance"]) + 40)

        // Only the added 60 (less the position's loss at the mark) may go back: never below what it needs.
        let tooMuch = try session.post("/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=61&type=2")
        #expect(tooMuch.status == 400 && tooMuch.body == #"{"code":-4051,"msg":"Isolated balance insufficient."}"#)
        _ = try check(wallet: opening + 60, "refused")
    }

    @Test func closingGivesTheIsolatedWalletBack() throws {
        let session = try Session()
        _ = try session.post("/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED")
        let market = [("symbol", "BTCUSDT"), ("type", "MARKET"), ("quantity", "0.010")]
        _ = try session.result("order.place", market + [("side", "BUY")])
        #expect(try session.post("/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=25&type=1").status == 200)
        _ = try session.result("order.place", market + [("side", "SELL")])
        let position = try session.row("account.position", [("symbol", "BTCUSDT")])
        #expect(position["isolatedWallet"] as? String == "0" && position["isolatedMargin"] as? String == "0.00000000")
        let balance = try session.row("account.balance")
        #expect(balance["crossWalletBalance"] as? String == balance["balance"] as? String)
        #expect(try session.post("/fapi/v1/positionMargin", "symbol=BTCUSDT&amount=1&type=2").body.contains("-4054"))
    }
}
