import Foundation
import Testing

@testable import Simulator

/// The public REST endpoints over real HTTP: shapes (against the official examples), weights in
/// `X-MBX-USED-WEIGHT-1M`, determinism, and parameter errors.
@Suite struct RESTPublicTests {
    /// Keys of a JSON object (or of the first element of an array of objects).
    static func keys(_ value: Any?) -> Set<String> {
        if let array = value as? [Any], let first = array.first { return keys(first) }
        return Set((value as? [String: Any])?.keys.map { $0 } ?? [])
    }

    static func example(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func pingTimeAndExchangeInfo() throws {
        let sim = try RESTTestServer()
        let ping = try sim.get("/fapi/v1/ping")
        #expect(ping.status == 200 && ping.body == "{}" && ping.usedWeight == 1)
        let time = try sim.get("/fapi/v1/time")
        #expect(time.body == #"{"serverTime":\#(RESTTestServer.now)}"# && time.usedWeight == 2)

        let info = try sim.get("/fapi/v1/exchangeInfo")
        #expect(info.status == 200 && info.usedWeight == 3)
        let object = try #require(info.json as? [String: Any])
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Exchange-Information
        let top = Self.example(
            #"{"exchangeFilters":[],"rateLimits":[],"serverTime":1565613908500,"assets":[],"symbols":[],"timezone":"UTC"}"#
        )
        #expect(Self.keys(top).isSubset(of: Set(object.keys)))
        let limits = try #require(object["rateLimits"] as? [[String: Any]])
        #expect(
            limits.map { "\($0["rateLimitType"]!)/\($0["interval"]!)/\($0["intervalNum"]!)/\($0["limit"]!)" }
                == ["REQUEST_WEIGHT/MINUTE/1/2400", "ORDERS/MINUTE/1/1200", "ORDERS/SECOND/10/300"])
        let symbols = try #require(object["symbols"] as? [[String: Any]])
        let btc = try #require(symbols.first { $0["symbol"] as? String == "BTCUSDT" })
        let symbolExample = Self.example(
            #"""
            {"symbol":"BLZUSDT","pair":"BLZUSDT","contractType":"PERPETUAL","deliveryDate":4133404800000,"onboardDate":1598252400000,
             "status":"TRADING","maintMarginPercent":"2.5000","requiredMarginPercent":"5.0000","baseAsset":"BLZ","quoteAsset":"USDT",
             "marginAsset":"USDT","pricePrecision":5,"quantityPrecision":0,"baseAssetPrecision":8,"quotePrecision":8,
             "underlyingType":"COIN","underlyingSubType":["STORAGE"],"settlePlan":0,"triggerProtect":"0.15","filters":[],
             "timeInForce":["GTC"],"liquidationFee":"0.010000","marketTakeBound":"0.30"}
            """#)
        #expect(Self.keys(symbolExample).isSubset(of: Set(btc.keys)))
        #expect(btc["pricePrecision"] as? Int == 2 && btc["quantityPrecision"] as? Int == 3)
        let filters = try #require(btc["filters"] as? [[String: Any]])
        func filter(_ type: String) -> [String: Any]? { filters.first { $0["filterType"] as? String == type } }
        #expect(filter("PRICE_FILTER")?["tickSize"] as? String == "0.10")
        #expect(
            filter("LOT_SIZE")?["stepSize"] as? String == "0.001" && filter("LOT_SIZE")?["minQty"] as? String == "0.001"
        )
        #expect(filter("MIN_NOTIONAL")?["notional"] as? String == "100")
    }

    @Test func tradesAndAggTradesShapes() throws {
        let sim = try RESTTestServer()
        let trades = try sim.get("/fapi/v1/trades?symbol=BTCUSDT&limit=7")
        #expect(trades.status == 200 && trades.usedWeight == 5)
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Recent-Trades-List
        let tradeExample = Self.example(
            #"[{"id":28457,"price":"4.00000100","qty":"12.00000000","quoteQty":"48.00","time":1499865549590,"isBuyerMaker":true}]"#
        )
        let rows = try #require(trades.json as? [[String: Any]])
        #expect(rows.count == 7 && Self.keys(rows) == Self.keys(tradeExample))
        #expect(rows.last?["time"] as? Int64 ?? 0 <= RESTTestServer.now)

        let agg = try sim.get("/fapi/v1/aggTrades?symbol=ETHUSDT&limit=4")
        #expect(agg.status == 200 && agg.usedWeight == 25)
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Compressed-Aggregate-Trades-List
        let aggExample = Self.example(
            #"[{"a":26129,"p":"0.01633102","q":"4.70443515","f":27781,"l":27781,"T":1498793709153,"m":true}]"#)
        let aggRows = try #require(agg.json as? [[String: Any]])
        #expect(aggRows.count == 4 && Self.keys(aggRows) == Self.keys(aggExample))
        #expect(try sim.get("/fapi/v1/trades?symbol=BTCUSDT&limit=1001").body.contains("-1130"))
        #expect(try sim.get("/fapi/v1/trades?symbol=NOPE").body.contains("-1121"))
    }

    @Test func historicalTradesNeedsAKnownKey() throws {
        let sim = try RESTTestServer()
        let missing = try sim.get("/fapi/v1/historicalTrades?symbol=BTCUSDT")
        #expect(missing.status == 401 && missing.body.contains("-2014") && missing.usedWeight == 20)
        let unknown = try sim.get("/fapi/v1/historicalTrades?symbol=BTCUSDT", apiKey: "nobody")
        #expect(unknown.status == 401 && unknown.body.contains("-2015"))
        let known = try sim.get(
            "/fapi/v1/historicalTrades?symbol=BTCUSDT&fromId=10000000&limit=3", apiKey: RESTTestServer.apiKey)
        let rows = try #require(known.json as? [[String: Any]])
        #expect(known.status == 200 && rows.map { $0["id"] as? Int } == [10_000_000, 10_010_000, 10_020_000])
    }

    /// Ids and times up to the largest 64-bit value are valid requests: past the tape they find
    /// nothing, and nothing overflows on the way (schemathesis sent `fromId` and `startTime` 2^63-2).
    @Test(arguments: [
        "/fapi/v1/aggTrades?symbol=BTCUSDT&fromId=9223372036854775806&limit=5",
        "/fapi/v1/aggTrades?symbol=BTCUSDT&startTime=9223372036854775806",
        "/fapi/v1/historicalTrades?symbol=BTCUSDT&fromId=9223372036854775807",
        "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=9223372036854775806",
        "/fapi/v1/continuousKlines?pair=BTCUSDT&contractType=PERPETUAL&interval=1M&startTime=9223372036854775807",
        "/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1m&startTime=9223372036854775807&endTime=9223372036854775807",
    ])
    func idsAndTimesNearTheLargestIntegerFindNothing(_ path: String) throws {
        let sim = try RESTTestServer()
        let answer = try sim.get(path, apiKey: RESTTestServer.apiKey)
        #expect(
            answer.status == 200 && (answer.json as? [Any])?.isEmpty == true, "\(path): \(answer.status) \(answer.body)"
        )
    }

    @Test func klinesShapesAndWeights() throws {
        let sim = try RESTTestServer()
        // https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data
        // [1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","17928899.62484339"]
        let paths = [
            "/fapi/v1/klines?symbol=BTCUSDT", "/fapi/v1/continuousKlines?pair=BTCUSDT&contractType=PERPETUAL",
            "/fapi/v1/indexPriceKlines?pair=BTCUSDT", "/fapi/v1/markPriceKlines?symbol=BTCUSDT",
            "/fapi/v1/premiumIndexKlines?symbol=BTCUSDT",
        ]
        var used = 0
        for (path, (limit, weight)) in zip(paths, [(5, 1), (150, 2), (600, 5), (1200, 10), (99, 1)]) {
            let answer = try sim.get(path + "&interval=1m&limit=\(limit)")
            used += weight
            #expect(answer.status == 200 && answer.usedWeight == used, "\(path)")
            let rows = try #require(answer.json as? [[Any]])
            #expect(rows.count == limit && rows.allSatisfy { $0.count == 12 }, "\(path)")
            let opens = rows.map { ($0[0] as? NSNumber)?.int64Value ?? -1 }
            #expect(zip(opens, opens.dropFirst()).allSatisfy { $1 - $0 == 60_000 })
            #expect(opens.last == RESTTestServer.now / 60_000 * 60_000)
            #expect(
                rows.allSatisfy {
                    $0[1] is String && $0[5] is String && $0[6] is NSNumber && $0[8] is NSNumber
                        && $0[11] as? String == "0"
                })
        }
        let monthly = try #require(try sim.get("/fapi/v1/klines?symbol=ETHUSDT&interval=1M&limit=3").json as? [[Any]])
        #expect(
            monthly.map { ($0[0] as? NSNumber)?.int64Value } == [
                1_788_220_800_000, 1_790_812_800_000, 1_793_491_200_000,
            ])
        // Monthly buckets reaching back before the epoch (schemathesis found a crash there).
        let early = try sim.get(
            "/fapi/v1/continuousKlines?pair=BTCUSDT&contractType=PERPETUAL&interval=1M&limit=3&startTime=0&endTime=0")
        #expect(early.status == 200, "\(early.body)")
        let bad = try sim.get("/fapi/v1/klines?symbol=BTCUSDT&interval=7m")
        #expect(bad.status == 400 && bad.body == #"{"code":-1120,"msg":"Invalid interval."}"#)
        #expect(try sim.get("/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1501").body.contains("-1130"))
        #expect(try sim.get("/fapi/v1/continuousKlines?pair=BTCUSDT&interval=1m").body.contains("-1102"))
    }

    @Test func monthsStartOnTheFirstAtMidnightUTC() {
        let cases: [(time: Int64, start: Int64)] = [
            (0, 0),  // 1970-01-01
            (-1, -2_678_400_000),  // 1969-12-31 → 1969-12-01
            (1_709_208_000_000, 1_706_745_600_000),  // 2024-02-29 12:00 → 2024-02-01
            (1_709_251_200_000, 1_709_251_200_000),  // 2024-03-01 00:00
            (951_868_799_999, 949_363_200_000),  // 2000-02-29 23:59:59.999 → 2000-02-01
            (-2_208_988_800_000, -2_208_988_800_000),  // 1900-01-01
            (4_102_444_799_999, 4_099_766_400_000),  // 2099-12-31 → 2099-12-01
        ]
        for (time, start) in cases {
            #expect(KlineInterval.monthStart(time) == start, "\(time)")
        }
    }

    @Test func sameSeedSameTapeOtherSeedAnother() throws {
        let targets = [
            "/fapi/v1/trades?symbol=SOLUSDT&limit=20", "/fapi/v1/aggTrades?symbol=SOLUSDT&limit=20",
            "/fapi/v1/klines?symbol=SOLUSDT&interval=1h&limit=48",
            "/fapi/v1/markPriceKlines?symbol=SOLUSDT&interval=5m&limit=10",
        ]
        let first = try RESTTestServer(seed: 7), second = try RESTTestServer(seed: 7),
            other = try RESTTestServer(seed: 8)
        for target in targets {
            let body = try first.get(target).body
            #expect(body == (try second.get(target).body), "\(target)")
            #expect(body != (try other.get(target).body), "\(target)")
        }
    }

    @Test func unknownPathIs404WithWeightHeader() throws {
        let sim = try RESTTestServer()
        let answer = try sim.get("/fapi/v1/nothing")
        #expect(
            answer.status == 404
                && answer.body == #"{"code":-5000,"msg":"Path /fapi/v1/nothing, Method GET is invalid"}"#)
        #expect(answer.usedWeight == 0)
        let wrongMethod = try sim.client.send("POST", "/fapi/v1/ping")
        #expect(wrongMethod.status == 404 && wrongMethod.body.contains("Method POST is invalid"))
    }
}
