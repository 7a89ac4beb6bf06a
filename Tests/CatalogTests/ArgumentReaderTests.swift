import Catalog
import Testing

@Suite struct ArgumentReaderTests {
    private func read(_ call: String, _ body: String) throws(CallError) -> CallArguments {
        guard let spec = CallCatalog.spec(named: call) else { throw .unknownCall(call) }
        return try ArgumentReader(spec: spec).read(jsonBody: Array(body.utf8))
    }

    private func error(_ call: String, _ body: String) -> CallError? {
        do {
            _ = try read(call, body)
            return nil
        } catch { return error }
    }

    @Test func theCatalogHasTheSeedAndPythonBinanceNames() {
        #expect(CallCatalog.all.count == 34)
        #expect(Set(CallCatalog.all.map(\.name)).count == 34)
        for name in [
            "ws_futures_get_order_book_ticker", "ws_futures_edit_order", "ws_futures_v2_account_position",
            "ws_futures_v2_account_balance", "ws_futures_account_status", "ws_futures_v2_account_status",
            "ws_futures_create_algo_order", "ws_futures_cancel_algo_order", "ws_futures_change_position_margin",
        ] {
            #expect(CallCatalog.spec(named: name) != nil, "\(name)")
        }
    }

    @Test func decimalsKeepTheClientsDigits() throws {
        let arguments = try read(
            "ws_futures_create_order",
            #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":0.10,"price":"50000.00","timeInForce":"GTC","reduceOnly":false}"#
        )
        #expect(arguments["quantity"] == .text("0.10"))
        #expect(arguments["price"] == .text("50000.00"))
        #expect(arguments["reduceOnly"] == .text("false"))
        #expect(arguments["quantity"]?.jsonText == #""0.10""#)
    }

    @Test func integersStayIntegersAndAliasesMap() throws {
        let arguments = try read("ws_futures_get_order", #"{"symbol":"BTCUSDT","orderid":9223372036854775807}"#)
        #expect(arguments["orderId"] == .integer("9223372036854775807"))
        #expect(arguments.entries.map(\.name) == ["symbol", "orderId"])
    }

    /// `"0892"` is a fine query value but not a JSON number: it goes upstream as `892`.
    @Test func integersWithLeadingZerosGoAsValidJSON() throws {
        let arguments = try read("ws_futures_account_position", #"{"symbol":"BTCUSDT","recvWindow":"0892"}"#)
        #expect(arguments["recvWindow"] == .integer("892"))
        #expect(try read("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":"0"}"#)["limit"] == .integer("0"))
        #expect(try read("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":"000"}"#)["limit"] == .integer("0"))
        let list = try read("ws_futures_cancel_orders", #"{"symbol":"BTCUSDT","orderIdList":["007",8]}"#)
        #expect(list["orderIdList"] == .list("[7,8]"))
    }

    @Test func listsBecomeJSONArrayText() throws {
        let arguments = try read("ws_futures_cancel_orders", #"{"symbol":"BTCUSDT","orderidlist":[1, 2,3]}"#)
        #expect(arguments["orderIdList"] == .list("[1,2,3]"))
        #expect(
            error("ws_futures_cancel_orders", #"{"symbol":"BTCUSDT","orderIdList":[1,2,3,4,5,6,7,8,9,10,11]}"#)?.code
                == -1100)
    }

    @Test func nullIsAbsent() throws {
        let arguments = try read("ws_futures_get_klines", #"{"symbol":"BTCUSDT","interval":"1h","startTime":null}"#)
        #expect(!arguments.contains("startTime"))
    }

    @Test func refusalsNameTheParameterWithBinanceCodes() {
        #expect(error("ws_futures_get_order_book", "{}") == .missing("symbol"))
        #expect(error("ws_futures_get_order_book", "{}")?.code == -1102)
        #expect(error("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","depth":5}"#) == .unknownParameter("depth"))
        #expect(error("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","depth":5}"#)?.code == -1104)
        #expect(error("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":"five"}"#)?.code == -1100)
        #expect(
            error("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":5.5}"#)?.message.contains("'limit'")
                == true)
        #expect(error("ws_futures_create_order", #"{"symbol":"BTCUSDT","side":"buy","type":"LIMIT"}"#)?.code == -1100)
        #expect(
            error("ws_futures_create_order", #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","price":1e5}"#)?.code
                == -1100)
        #expect(
            error("ws_futures_get_order", #"{"symbol":"BTCUSDT"}"#) == .missingOneOf(["orderId", "origClientOrderId"]))
        #expect(
            error("ws_futures_get_order", #"{"symbol":"BTCUSDT","orderId":1,"orderid":1}"#) == .duplicate("orderId"))
        #expect(
            error("ws_futures_get_order", #"{"symbol":"BTCUSDT","orderId":1,"signature":"x"}"#)
                == .reservedParameter("signature"))
        #expect(error("ws_futures_get_order", #"[1]"#)?.code == -1100)
        #expect(error("ws_futures_get_order", #"{"symbol":"BTCUSDT","orderId":1"#)?.code == -1100)
    }

    @Test func queriesAreReadLikeBodies() throws {
        let spec = try #require(CallCatalog.spec(named: "ws_futures_get_order_book"))
        let arguments = try ArgumentReader(spec: spec).read(query: [("symbol", "BTCUSDT"), ("limit", "5")])
        #expect(arguments["limit"] == .integer("5"))
    }

    @Test func conditionalOrdersGoToTheAlgoService() throws {
        let spec = try #require(CallCatalog.spec(named: "ws_futures_create_order"))
        let arguments = try read(
            "ws_futures_create_order",
            #"{"symbol":"BTCUSDT","side":"SELL","type":"STOP_MARKET","stopPrice":"90000","quantity":"0.01","newClientOrderId":"mine"}"#
        )
        let plan = try spec.plan(arguments)
        #expect(plan.target == .webSocket("algoOrder.place"))
        #expect(plan.arguments["triggerPrice"] == .text("90000"))
        #expect(plan.arguments["stopPrice"] == nil)
        #expect(plan.arguments["algoType"] == .text("CONDITIONAL"))
        #expect(plan.clientOrderId == "mine")
        #expect(plan.clientOrderIdKey == "clientAlgoId")
        let limit = try spec.plan(
            try read("ws_futures_create_order", #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT"}"#))
        #expect(limit.target == .webSocket("order.place"))
        #expect(limit.clientOrderIdKey == "newClientOrderId")
        #expect(limit.orders == 1)
    }

    @Test func cancelWithAnAlgoIdGoesToTheAlgoService() throws {
        let spec = try #require(CallCatalog.spec(named: "ws_futures_cancel_order"))
        let plan = try spec.plan(try read("ws_futures_cancel_order", #"{"symbol":"BTCUSDT","algoId":17}"#))
        #expect(plan.target == .webSocket("algoOrder.cancel"))
        #expect(plan.arguments.entries.map(\.name) == ["algoId"])
        #expect(throws: CallError.missing("symbol")) {
            try spec.plan(try read("ws_futures_cancel_order", #"{"orderId":17}"#))
        }
    }

    @Test func weightsFollowTheParameters() throws {
        let depth = try #require(CallCatalog.spec(named: "ws_futures_get_order_book"))
        #expect(try depth.plan(try read("ws_futures_get_order_book", #"{"symbol":"BTCUSDT","limit":5}"#)).weight == 2)
        #expect(try depth.plan(try read("ws_futures_get_order_book", #"{"symbol":"BTCUSDT"}"#)).weight == 10)
        let tickers = try #require(CallCatalog.spec(named: "ws_futures_get_all_tickers"))
        #expect(try tickers.plan(CallArguments()).weight == 2)
    }
}
