import Catalog
import Foundation
import OpenSSL
import Signing
import Testing

@Suite struct SigningTests {
    /// The worked example of the official USDⓈ-M Futures "General Info" page
    /// ("SIGNED Endpoint Examples for POST /fapi/v1/order", HMAC keys).
    @Test func reproducesTheOfficialHMACExample() {
        let credentials = Credentials(
            apiKey: "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83",
            key: .hmac(secret: Array("2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9".utf8)))
        let arguments = CallArguments([
            ("symbol", .text("BTCUSDT")), ("side", .text("BUY")), ("type", .text("LIMIT")), ("quantity", .text("1")),
            ("price", .text("9000")), ("timeInForce", .text("GTC")), ("recvWindow", .integer("5000")),
        ])
        let encoder = RESTRequestEncoder(credentials: credentials, recvWindow: nil)
        let request = encoder.request(
            path: "/fapi/v1/order", arguments, security: .signed, timestamp: 1_591_702_613_943)
        #expect(
            request.target == "/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000"
                + "&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
                + "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9")
        #expect(request.headers.map(\.name) == ["X-MBX-APIKEY"])
        #expect(request.headers.first?.value == credentials.apiKey)
    }

    @Test func webSocketFramesSignTheSortedParameters() throws {
        let credentials = Credentials(apiKey: "KEY", key: .hmac(secret: Array("SECRET".utf8)))
        let encoder = WebSocketRequestEncoder(credentials: credentials, recvWindow: nil)
        let arguments = CallArguments([
            ("symbol", .text("BTCUSDT")), ("side", .text("BUY")), ("type", .text("LIMIT")),
            ("quantity", .text("0.10")), ("price", .text("42088.0")),
            ("timeInForce", .text("GTC")),
        ])
        let frame = encoder.frame(
            id: 7, method: "order.place", arguments, security: .signed, timestamp: 1_795_548_744_613)
        let text = String(decoding: frame, as: UTF8.self)
        let payload =
            "apiKey=KEY&price=42088.0&quantity=0.10&side=BUY&symbol=BTCUSDT&timeInForce=GTC"
            + "&timestamp=1795548744613&type=LIMIT"
        let signature = Hex.encode(Digest.hmacSHA256(key: Array("SECRET".utf8), message: Array(payload.utf8)))
        #expect(
            text == #"{"id":7,"method":"order.place","params":{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","#
                + #""quantity":"0.10","price":"42088.0","timeInForce":"GTC","timestamp":1795548744613,"apiKey":"KEY","#
                + #""signature":"\#(signature)"}}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(frame)) is [String: Any])
    }

    @Test func aLoggedOnSessionSendsOnlyTheTimestamp() {
        let encoder = WebSocketRequestEncoder(
            credentials: Credentials(apiKey: "KEY", key: .hmac(secret: [1])),
            recvWindow: 5000)
        let params = encoder.parameters(CallArguments(), security: .signed, timestamp: 42, authorization: .session)
        #expect(params.entries.map(\.name) == ["recvWindow", "timestamp"])
    }

    @Test func marketDataGetsNoCredentials() {
        let encoder = WebSocketRequestEncoder(
            credentials: Credentials(apiKey: "KEY", key: .hmac(secret: [1])),
            recvWindow: 5000)
        let frame = encoder.frame(
            id: 1, method: "depth", CallArguments([("symbol", .text("BTCUSDT"))]), security: .none,
            timestamp: 42)
        #expect(String(decoding: frame, as: UTF8.self) == #"{"id":1,"method":"depth","params":{"symbol":"BTCUSDT"}}"#)
    }

    @Test func queryValuesArePercentEncoded() {
        let encoder = RESTRequestEncoder(credentials: nil, recvWindow: nil)
        let request = encoder.request(
            path: "/fapi/v1/batchOrders",
            CallArguments([("orderIdList", .list("[1,2]")), ("x", .text("a b/c"))]),
            security: .none, timestamp: 0)
        #expect(request.target == "/fapi/v1/batchOrders?orderIdList=%5B1%2C2%5D&x=a%20b%2Fc")
        #expect(QueryEncoding.unescape("%5B1%2C2%5D+x") == "[1,2] x")
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = Credentials(apiKey: "ABCDEFGH", key: .hmac(secret: Array("TOPSECRET".utf8)))
        #expect(!"\(credentials)".contains("TOPSECRET"))
        #expect(!"\(credentials)".contains("ABCDEFGH"))
    }

    @Test func environmentNeedsAKeyAndOneSecret() throws {
        #expect(try CredentialsLoader.load(from: [:]) == nil)
        #expect(throws: CredentialsLoader.Failure.self) { try CredentialsLoader.load(from: ["BINANCE_API_KEY": "k"]) }
        #expect(throws: CredentialsLoader.Failure.self) {
            try CredentialsLoader.load(from: ["BINANCE_API_SECRET": "s"])
        }
        let loaded = try CredentialsLoader.load(from: ["BINANCE_API_KEY": "k", "BINANCE_API_SECRET": "s"])
        #expect(loaded?.kind == "HMAC-SHA256")
    }
}
