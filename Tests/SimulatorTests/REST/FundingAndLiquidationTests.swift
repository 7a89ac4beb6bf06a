import Foundation
import Testing

@testable import Simulator

/// Funding and liquidation over REST as time passes: the clock is moved with the exchange's
/// clock offset (the `--fault-clock-offset-ms` flag and `/admin/faults` knob), and each signed
/// request is stamped with the moved time.
@Suite struct FundingAndLiquidationTests {
    static func decimal(_ value: Any?) -> Decimal { RESTClockSession.decimal(value) }

    @Test func aFundingTimeChargesTheLongTheAnnouncedRateOnItsNotional() throws {
        let session = try RESTClockSession()
        let order = try session.object("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010")
        #expect(order["status"] as? String == "NEW", "ACK shape: the order as accepted")
        let index = try #require(try session.server.get("/fapi/v1/premiumIndex?symbol=BTCUSDT").json as? [String: Any])
        let next = try #require(index["nextFundingTime"] as? Int64)
        #expect(next % (8 * 3_600_000) == 0 && next > session.now && next - session.now <= 8 * 3_600_000)
        let rate = Self.decimal(index["lastFundingRate"])
        let notional = Self.decimal(try session.rows("/fapi/v3/positionRisk", "symbol=BTCUSDT").first?["notional"])
        let before = try session.wallet()
        #expect(try session.rows("/fapi/v1/income", "incomeType=FUNDING_FEE").isEmpty)

        session.advance(to: next - 1)
        #expect(try session.rows("/fapi/v1/income", "incomeType=FUNDING_FEE").isEmpty, "nothing is due before the mark")
        session.advance(to: next + 1_000)
        let fees = try session.rows("/fapi/v1/income", "incomeType=FUNDING_FEE")
        #expect(fees.count == 1, "\(fees)")
        let fee = Self.decimal(fees.first?["income"])
        #expect(fees.first?["time"] as? Int64 == next && fees.first?["symbol"] as? String == "BTCUSDT")
        #expect(abs(fee + notional * rate) < 0.00000002, "fee \(fee), notional \(notional), rate \(rate)")
        #expect(try session.wallet() == before + fee)
        let history =
            try session.server.get("/fapi/v1/fundingRate?symbol=BTCUSDT&startTime=\(next)").json as? [[String: Any]]
        #expect(history?.count == 1 && history?.first?["fundingTime"] as? Int64 == next)
        #expect(Self.decimal(history?.first?["fundingRate"]) == rate)

        session.advance(to: next + 8 * 3_600_000 * 3)
        #expect(try session.rows("/fapi/v1/income", "incomeType=FUNDING_FEE").count == 4, "one payment per mark passed")
    }

    @Test func anIsolatedPositionDrainedByFundingIsLiquidatedAndLosesItsMarginOnly() throws {
        let interval: Int64 = 60_000
        let session = try RESTClockSession(fundingIntervalMillis: interval)
        _ = try session.object("POST", "/fapi/v1/marginType", "symbol=BTCUSDT&marginType=ISOLATED")
        _ = try session.object("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=125")
        let start = try session.wallet()
        let order = try session.object(
            "POST", "/fapi/v1/order",
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&newOrderRespType=RESULT")
        let cost = Self.decimal(order["cumQuote"])
        let margin = try session.rows("/fapi/v3/positionRisk", "symbol=BTCUSDT").first?["isolatedWallet"]
        #expect(abs(Self.decimal(margin) - cost / 125) < 0.00000002)
        let commission = cost * 0.0004

        session.advance(to: session.now + 400 * interval)
        #expect(try session.rows("/fapi/v3/positionRisk", "symbol=BTCUSDT").isEmpty, "the position is closed")
        let income = try session.rows("/fapi/v1/income", "symbol=BTCUSDT&limit=1000")
        let kinds = income.compactMap { $0["incomeType"] as? String }
        #expect(kinds.contains("FUNDING_FEE") && kinds.last == "INSURANCE_CLEAR", "\(Set(kinds))")
        let orders = try session.rows("/fapi/v1/allOrders", "symbol=BTCUSDT")
        let closing = try #require(orders.last)
        #expect((closing["clientOrderId"] as? String)?.hasPrefix("autoclose-") == true)
        #expect(
            closing["status"] as? String == "FILLED" && closing["side"] as? String == "SELL"
                && closing["executedQty"] as? String == "0.010")
        // Funding came out of the isolated margin, and the insurance fund took what was left:
        // the wallet lost the commission and the position's initial margin, nothing more.
        let wallet = try session.wallet()
        #expect(abs(wallet - (start - commission - Self.decimal(margin))) < 0.00000005, "\(wallet)")
        let balance = try #require(try session.rows("/fapi/v3/balance").first)
        #expect(Self.decimal(balance["balance"]) == wallet && Self.decimal(balance["availableBalance"]) == wallet)
    }
}
