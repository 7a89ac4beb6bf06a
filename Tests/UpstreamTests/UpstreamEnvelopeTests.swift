import Testing

@testable import Upstream

@Suite struct UpstreamEnvelopeTests {
    private func scan(_ text: String) -> (UpstreamEnvelope?, [UInt8]) {
        let bytes = Array(text.utf8)
        return (UpstreamEnvelope.scan(bytes), bytes)
    }

    @Test func findsResultSliceUnchanged() throws {
        let result = #"{"orderId":9007199254740993,"price":"0.10","nested":{"a":["}",{"b":"\"x"}]}}"#
        let (envelope, bytes) = scan(#"{"id":42,"status":200,"result":\#(result),"rateLimits":[{"count":1}]}"#)
        let found = try #require(envelope)
        #expect(found.id == 42)
        #expect(found.status == 200)
        #expect(String(decoding: bytes[try #require(found.result)], as: UTF8.self) == result)
        #expect(String(decoding: bytes[try #require(found.rateLimits)], as: UTF8.self) == #"[{"count":1}]"#)
        #expect(found.error == nil)
    }

    @Test func findsErrorAndToleratesWhitespaceAndKeyOrder() throws {
        let (envelope, bytes) = scan(
            " {\n \"error\" : {\"code\":-2013,\"msg\":\"Order does not exist.\"},\t\"status\": 400, \"id\" : 7 } ")
        let found = try #require(envelope)
        #expect(found.id == 7 && found.status == 400)
        #expect(
            String(decoding: bytes[try #require(found.error)], as: UTF8.self)
                == #"{"code":-2013,"msg":"Order does not exist."}"#)
    }

    @Test func nullOrStringIDsAreNotOurs() throws {
        #expect(try #require(scan(#"{"id":null,"status":401,"error":{"code":-2015,"msg":"x"}}"#).0).id == nil)
        #expect(try #require(scan(#"{"id":"abc","status":200,"result":{}}"#).0).id == nil)
    }

    @Test(arguments: [
        "", "[]", "{", #"{"id":1}"#, #"{"id":1,"status":"200"}"#, #"{"id":1,"status":200"#,
        #"{"id":1,"status":200,"result":{"a":"unterminated}}"#, #"{"id":1 "status":200}"#, #"{"status":-5}"#,
        #"{"id":1,"status":200,"result":{]}"#.replacingOccurrences(of: "{]", with: "{"),
    ])
    func rejectsMalformedEnvelopes(_ text: String) {
        #expect(scan(text).0 == nil)
    }
}
