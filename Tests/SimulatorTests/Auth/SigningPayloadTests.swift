import Foundation
import OpenSSL
import Testing

@testable import Simulator

@Suite struct SigningPayloadTests {
    /// python-binance's verified order.place sample (reference "Request construction"), secret SECRET.
    static let frame =
        #"{"id":"3dd3b2c1a0","method":"order.place","params":{"apiKey":"KEY","newClientOrderId":"x-Cb7ytekJcb17a9e1f2d3c4b5a6","price":"42088.0","quantity":"0.1","side":"BUY","symbol":"BTCUSDT","timeInForce":"GTC","timestamp":1795548744613,"type":"LIMIT"}}"#
    static let payload =
        "apiKey=KEY&newClientOrderId=x-Cb7ytekJcb17a9e1f2d3c4b5a6&price=42088.0&quantity=0.1"
        + "&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp=1795548744613&type=LIMIT"

    @Test func pythonBinanceSampleByteForByte() throws {
        let params = try JSONParams(frame: Array(Self.frame.utf8))
        #expect(SigningPayload.make(params) == Self.payload)

        let ours = AuthTestSupport.hmacHex(secret: "SECRET", Self.payload)
        let python = try AuthTestSupport.pythonHMAC(secret: "SECRET", Self.payload)
        #expect(ours == python)
        #expect(ours.count == 64)

        // The same frame with python-binance's appended signature passes the authenticator.
        let signedFrame = Self.frame.replacingOccurrences(
            of: #""type":"LIMIT"}"#, with: #""type":"LIMIT","signature":"\#(python)"}"#)
        let signed = try JSONParams(frame: Array(signedFrame.utf8))
        #expect(SigningPayload.make(signed) == Self.payload)
        let authenticator = RequestAuthenticator(keys: SimulatorKeys(["KEY": .hmac(secret: Array("SECRET".utf8))]))
        let result = authenticator.authenticate(signed, security: .signed, session: nil, now: 1_795_548_744_700)
        #expect(try result.get() == "KEY")
    }

    @Test func numberTextIsSignedAsSent() throws {
        let tenths = try AuthTestSupport.params(#"{"price":0.10,"quantity":1e2,"reduceOnly":true}"#)
        let tenth = try AuthTestSupport.params(#"{"price":0.1,"quantity":1e2,"reduceOnly":true}"#)
        #expect(SigningPayload.make(tenths) == "price=0.10&quantity=1e2&reduceOnly=true")
        #expect(SigningPayload.make(tenth) == "price=0.1&quantity=1e2&reduceOnly=true")

        // A client that signs `0.1` but sends `0.10` is rejected, as by Binance.
        let fields = #""apiKey":"\#(AuthTestSupport.apiKey)","price":0.10,"timestamp":\#(AuthTestSupport.now)"#
        let wrong = AuthTestSupport.hmacHex(
            secret: AuthTestSupport.secret,
            "apiKey=\(AuthTestSupport.apiKey)&price=0.1&timestamp=\(AuthTestSupport.now)")
        let sent = try AuthTestSupport.params(#"{\#(fields),"signature":"\#(wrong)"}"#)
        let result = AuthTestSupport.authenticator().authenticate(
            sent, security: .signed, session: nil, now: AuthTestSupport.now)
        #expect(result.failure == .invalidSignature)
        let right = try AuthTestSupport.signedHMAC(fields)
        #expect(
            try AuthTestSupport.authenticator()
                .authenticate(right, security: .signed, session: nil, now: AuthTestSupport.now).get()
                == AuthTestSupport.apiKey)
    }

    @Test func sortsByByteOrderAndSkipsOnlySignature() throws {
        let params = try AuthTestSupport.params(#"{"signature":"x","b":"2","Z":"0","a":"1","_":"u","signatures":"s"}"#)
        #expect(SigningPayload.make(params) == "Z=0&_=u&a=1&b=2&signatures=s")
    }

    @Test func stringsAreUnescapedNotPercentEncoded() throws {
        let params = try AuthTestSupport.params(#"{"newClientOrderId":"a:b\/c d\u00e9"}"#)
        #expect(SigningPayload.make(params) == "newClientOrderId=a:b/c dé")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
