import RawJSON
import Testing

/// Typed look-ups over the raw-text reader, as the simulator's envelopes and admin bodies and
/// the gateway's `/fapi/v1/time` and `exchangeInfo` reads use them.
@Suite struct JSONObjectTests {
    @Test func valuesAreReadByTheirJSONType() throws {
        let object = try JSONObject(
            parsing: Array(
                #"""
                {"s":"BTCUSDT","i":-42,"big":9223372036854775807,"f":0.10,"e":1e3,"t":true,"n":null,
                 "o":{"k":"v"},"a":[1,"x"]}
                """#.utf8))
        #expect(object["s"]?.string == "BTCUSDT")
        #expect(object["s"]?.integer == nil)
        #expect(object["i"]?.integer == -42)
        #expect(object["big"]?.integer == Int64.max)
        #expect(object["f"]?.integer == nil && object["f"]?.json == "0.10")
        #expect(object["e"]?.integer == nil)
        #expect(object["t"]?.bool == true && object["t"]?.string == nil)
        #expect(object["n"]?.isNull == true && object["i"]?.isNull == false)
        #expect(object["o"]?.object?["k"]?.string == "v")
        #expect(object["a"]?.array?.count == 2)
        #expect(object["a"]?.array?.last?.string == "x")
        #expect(object["s"]?.array == nil && object["o"]?.array == nil)
        #expect(object["missing"] == nil)
        #expect(object["s"]?.json == #""BTCUSDT""#)
    }

    @Test func integersOutOfRangeAreNotIntegers() throws {
        let object = try JSONObject(parsing: Array(#"{"x":9223372036854775808}"#.utf8))
        #expect(object["x"]?.integer == nil)
    }

    @Test func onlyASingleObjectWithUniqueKeysIsAccepted() {
        #expect(throws: RawJSONError.malformed) { try JSONObject(parsing: Array("[1]".utf8)) }
        #expect(throws: RawJSONError.malformed) { try JSONObject(parsing: Array(#"{"a":1} x"#.utf8)) }
        #expect(throws: RawJSONError.duplicateKey("a")) { try JSONObject(parsing: Array(#"{"a":1,"a":2}"#.utf8)) }
    }
}
