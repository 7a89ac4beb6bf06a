import OpenSSL
import Testing

@Suite struct DigestTests {
    @Test func sha1MatchesTheWebSocketExample() {
        // RFC 6455 §1.3: the accept value for this key is base64(SHA-1(key + GUID)).
        let input = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        #expect(Hex.encode(Digest.sha1(Array(input.utf8))) == "b37a4f2cc0624f1690f64606cf385945b2bec4ea")
    }

    @Test func hmacSHA256MatchesBinancesWorkedExample() {
        // The signed-endpoint example of Binance's USDⓈ-M Futures REST "General Info" page.
        let secret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9"
        let query =
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC"
            + "&recvWindow=5000&timestamp=1591702613943"
        let signature = Hex.encode(Digest.hmacSHA256(key: Array(secret.utf8), message: Array(query.utf8)))
        #expect(signature == "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9")
    }

    @Test func randomBytesDiffer() {
        #expect(SecureRandom.bytes(16) != SecureRandom.bytes(16))
        #expect(SecureRandom.bytes(7).count == 7)
    }
}
