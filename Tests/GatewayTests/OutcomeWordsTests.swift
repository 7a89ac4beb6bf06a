import HTTP1
import HTTPServer
import Testing

@testable import Gateway

/// The pure parts of the outcome vocabulary: how an answer is stamped, how an edge's page is
/// cut down to a safe excerpt, and how decimals from a lookup are compared.
@Suite struct OutcomeWordsTests {
    private func body(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func anErrorObjectGetsTheOutcomeMemberAndTheHeader() {
        var response = HTTPResponse.json(.badRequest, #"{"code":-2019,"msg":"Margin is insufficient."}"#)
        response.stamp(outcome: .rejected)
        #expect(body(response) == #"{"code":-2019,"msg":"Margin is insufficient.","outcome":"rejected"}"#)
        #expect(response.headers["X-Gateway-Outcome"] == "rejected")
    }

    @Test(arguments: [#"{"code":1,"msg":"x","outcome":"applied"}"#, #"[1,2]"#, "<html></html>", ""])
    func bodiesThatAreNotPlainErrorObjectsAreLeftAlone(_ text: String) {
        var response = HTTPResponse(status: .badGateway, body: Array(text.utf8))
        response.stamp(outcome: .unknown)
        #expect(body(response) == text)
        #expect(response.headers["X-Gateway-Outcome"] == "unknown")
    }

    @Test func aSuccessKeepsItsBody() {
        var response = HTTPResponse.json(.ok, #"{"orderId":1}"#)
        response.stamp(outcome: .applied)
        #expect(body(response) == #"{"orderId":1}"#)
    }

    @Test func anEmptyObjectGetsAMemberWithoutAComma() {
        var response = HTTPResponse.json(.badGateway, "{}")
        response.stamp(outcome: .notSent)
        #expect(body(response) == #"{"outcome":"not-sent"}"#)
    }

    @Test func jsonBodiesAreNotPages() {
        #expect(UpstreamPage(status: 503, body: Array(#" {"code":-1001,"msg":"x"}"#.utf8)) == nil)
        #expect(UpstreamPage(status: 200, body: Array("[]".utf8)) == nil)
    }

    @Test func aPageIsCutToItsPrintableText() throws {
        let page = try #require(
            UpstreamPage(
                status: 503, body: Array("<html>\r\n<body><h1>503 Service\tUnavailable</h1></body></html>".utf8)))
        #expect(page.excerpt == "503 Service Unavailable")
        let hostile = try #require(UpstreamPage(status: 403, body: Array("Blocked\r\nSet-Cookie: x=1\u{0}é".utf8)))
        #expect(hostile.excerpt == "Blocked Set-Cookie: x=1???")
        let long = try #require(UpstreamPage(status: 502, body: Array(String(repeating: "a", count: 5000).utf8)))
        #expect(long.excerpt.count == UpstreamPage.excerptLength)
        #expect(UpstreamPage(status: 502, body: [])?.excerpt == "")
    }

    @Test func aPageBecomesTheGatewaysErrorWithTheUpstreamStatus() {
        let edge = HTTPResponse.error(CallRefusal.upstreamPage(UpstreamPage(status: 502, excerpt: "502 Bad Gateway")))
        #expect(edge.status.code == 502 && edge.headers["X-Upstream-Status"] == "502")
        #expect(
            body(edge)
                == #"{"code":-1001,"msg":"upstream answered 502 with a page that is not JSON; execution status unknown: 502 Bad Gateway"}"#
        )
        let waf = HTTPResponse.error(CallRefusal.upstreamPage(UpstreamPage(status: 403, excerpt: "Forbidden")))
        #expect(waf.status.code == 403 && body(waf).hasPrefix(#"{"code":403,"#))
    }

    @Test(arguments: [("30000.0", "30000"), ("30000.00", "030000"), ("0.010", "0.01"), ("7", "7.000")])
    func decimalsAreComparedByValue(_ pair: (String, String)) {
        #expect(Decimals.equal(pair.0, pair.1))
    }

    @Test func differentDecimalsDiffer() {
        #expect(!Decimals.equal("30000.1", "30000.01") && !Decimals.equal("10", "1") && !Decimals.equal("0.1", "1"))
    }
}
