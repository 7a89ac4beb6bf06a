/// `GET /fapi/v1/exchangeInfo` in the official shape (Exchange-Information page), built from
/// `SymbolSpec.all`. Fields the simulator does not model (brackets, delivery dates) carry the
/// values a USDT perpetual shows. Assumption: `orderTypes` as the live API spells it (the docs'
/// example shows `OrderType`).
enum ExchangeInfoFormat {
    static func json(now: Int64, weightLimit: Int, orderLimit10s: Int = 300, orderLimit1m: Int = 1200) -> String {
        let limits = [
            ("REQUEST_WEIGHT", "MINUTE", 1, weightLimit), ("ORDERS", "MINUTE", 1, orderLimit1m),
            ("ORDERS", "SECOND", 10, orderLimit10s),
        ]
        .map { #"{"rateLimitType":"\#($0.0)","interval":"\#($0.1)","intervalNum":\#($0.2),"limit":\#($0.3)}"# }
        let assets = ["USDT", "BTC", "BNB", "ETH"]
            .map {
                #"{"asset":"\#($0)","marginAvailable":true,"autoAssetExchange":"\#($0 == "USDT" ? "-10000" : "0")"}"#
            }
        return
            #"{"timezone":"UTC","serverTime":\#(now),"futuresType":"U_MARGINED","rateLimits":[\#(limits.joined(separator: ","))],"#
            + #""exchangeFilters":[],"assets":[\#(assets.joined(separator: ","))],"#
            + #""symbols":[\#(SymbolSpec.all.map(symbol).joined(separator: ","))]}"#
    }

    static func symbol(_ spec: SymbolSpec) -> String {
        let tick = spec.formatPrice(spec.tickUnits), step = spec.formatQuantity(spec.stepUnits)
        let maxPrice = spec.formatPrice(spec.startPriceUnits * 100 / spec.tickUnits * spec.tickUnits)
        let maxQty = spec.formatQuantity(TradingMath.pow10(spec.quantityDecimals) * 1_000_000 / 100)
        let filters = [
            #"{"filterType":"PRICE_FILTER","minPrice":"\#(tick)","maxPrice":"\#(maxPrice)","tickSize":"\#(tick)"}"#,
            #"{"filterType":"LOT_SIZE","minQty":"\#(step)","maxQty":"\#(maxQty)","stepSize":"\#(step)"}"#,
            #"{"filterType":"MARKET_LOT_SIZE","minQty":"\#(step)","maxQty":"\#(maxQty)","stepSize":"\#(step)"}"#,
            #"{"filterType":"MAX_NUM_ORDERS","limit":200}"#,
            #"{"filterType":"MAX_NUM_ALGO_ORDERS","limit":10}"#,
            #"{"filterType":"MIN_NOTIONAL","notional":"\#(spec.minNotional)"}"#,
            #"{"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"}"#,
        ]
        return
            #"{"symbol":"\#(spec.symbol)","pair":"\#(spec.symbol)","contractType":"PERPETUAL","deliveryDate":4133404800000,"#
            + #""onboardDate":1569398400000,"status":"TRADING","maintMarginPercent":"2.5000","requiredMarginPercent":"5.0000","#
            + #""baseAsset":"\#(spec.baseAsset)","quoteAsset":"\#(spec.quoteAsset)","marginAsset":"\#(spec.quoteAsset)","#
            + #""pricePrecision":\#(spec.priceDecimals),"quantityPrecision":\#(spec.quantityDecimals),"#
            + #""baseAssetPrecision":8,"quotePrecision":8,"underlyingType":"COIN","underlyingSubType":[],"settlePlan":0,"#
            + #""triggerProtect":"0.0500","liquidationFee":"0.012500","marketTakeBound":"0.05","maxMoveOrderLimit":10000,"#
            + #""filters":[\#(filters.joined(separator: ","))],"#
            + #""orderTypes":["LIMIT","MARKET","STOP","STOP_MARKET","TAKE_PROFIT","TAKE_PROFIT_MARKET","TRAILING_STOP_MARKET"],"#
            + #""timeInForce":["GTC","IOC","FOK","GTX","GTD"],"permissionSets":["GRID","COPY"]}"#
    }
}
