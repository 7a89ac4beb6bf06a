import Testing

@testable import Simulator

@Suite struct JSONParamsTests {
    @Test func keepsRawTextAndOrder() throws {
        let params = try JSONParams(
            frame: Array(
                #"""
                { "id" : 7, "method":"order.place", "params" : {"price" : 0.10 , "quantity":"1.50", "reduceOnly":false,
                  "x":null, "nested":{"a":[1, 2.0]}, "emoji":"\ud83d\ude00"} }
                """#.utf8))
        #expect(params.ordered.map(\.key) == ["price", "quantity", "reduceOnly", "x", "nested", "emoji"])
        #expect(params["price"] == "0.10")
        #expect(!params.isString("price"))
        #expect(params["quantity"] == "1.50")
        #expect(params.isString("quantity"))
        #expect(params["reduceOnly"] == "false")
        #expect(params["x"] == "null")
        #expect(params["nested"] == #"{"a":[1, 2.0]}"#)
        #expect(params["emoji"] == "😀")
        #expect(params.contains("x"))
        #expect(!params.contains("y"))
        #expect(params["y"] == nil)
    }

    @Test func noParamsIsEmpty() throws {
        let params = try JSONParams(frame: Array(#"{"id":"a","method":"session.status"}"#.utf8))
        #expect(params.ordered.isEmpty)
    }

    @Test(arguments: [
        "", "[]", "{", #"{"id":1,}"#, #"{"params":[]}"#, #"{"params":"x"}"#, #"{"params":{"a":01}}"#,
        #"{"params":{"a":1.}}"#, #"{"params":{"a":.5}}"#, #"{"params":{"a":+1}}"#, #"{"params":{"a":tru}}"#,
        #"{"params":{"a":"\x"}}"#, "{\"params\":{\"a\":\"tab\there\"}}", #"{"params":{"a":"\ud83d"}}"#,
        #"{"params":{a:1}}"#, #"{"params":{"a":1}} x"#, #"{"params":{"a" 1}}"#, #"{"params":{"a":NaN}}"#,
        String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40),
    ])
    func malformedFramesAreErrors(_ text: String) {
        #expect(throws: ExchangeError.malformedRequest) { try JSONParams(frame: Array(text.utf8)) }
    }

    @Test func invalidUTF8IsAnError() {
        let bytes = Array(#"{"params":{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
        #expect(throws: ExchangeError.malformedRequest) { try JSONParams(frame: bytes) }
    }

    @Test func duplicateKeysAreErrors() {
        #expect(throws: ExchangeError.duplicateParameter) {
            try JSONParams(frame: Array(#"{"params":{"price":"1","price":"2"}}"#.utf8))
        }
        #expect(ExchangeError.duplicateParameter.code == -1101)
        // Escapes are decoded before comparing, as any JSON reader would.
        #expect(throws: ExchangeError.duplicateParameter) {
            try JSONParams(object: Array(#"{"price":"1","pr\u0069ce":"2"}"#.utf8))
        }
    }
}
