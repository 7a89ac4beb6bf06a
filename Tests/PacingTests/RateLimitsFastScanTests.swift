import Testing

@testable import Pacing

/// The fast reader of `rateLimits` takes the usual shape, refuses everything else, and where it
/// answers, answers as the general reader does.
@Suite struct RateLimitsFastScanTests {
    static let usual =
        #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":12},"#
        + #"{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":0}]"#

    /// What the general reader makes of the same bytes.
    private func general(_ text: String) -> ([RateLimitReport], [String]) {
        let entries = RateLimitReport.entries(ArraySlice(Array(text.utf8)))
        return (
            entries.compactMap { RateLimitReport(members: $0) },
            entries.compactMap(RateLimitUsage.headerField).map { "\($0.name): \($0.value)" }
        )
    }

    @Test func theUsualShapeIsReadWithoutTheGeneralReader() throws {
        let entries = try #require(RateLimitsFastScan.scan(ArraySlice(Array(Self.usual.utf8))))
        #expect(
            entries == [
                .init(
                    kind: .requestWeight, unit: UInt8(ascii: "M"), unitMillis: 60_000, intervalNum: 1, limit: 2400,
                    count: 12),
                .init(kind: .orders, unit: UInt8(ascii: "S"), unitMillis: 1000, intervalNum: 10, limit: 300, count: 0),
            ])
    }

    @Test(arguments: [
        usual,
        "[]", " [ ] ",
        #"[ { "count" : 3 , "limit":20,"intervalNum":1,"interval":"DAY","rateLimitType":"ORDERS" } ]"#,
        #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"HOUR","intervalNum":2,"limit":0,"count":0}]"#,
    ])
    func whatItReadsIsWhatTheGeneralReaderReads(text: String) throws {
        let usage = RateLimitUsage(rateLimitsJSON: ArraySlice(Array(text.utf8)))
        #expect(RateLimitsFastScan.scan(ArraySlice(Array(text.utf8))) != nil)
        let (reports, headers) = general(text)
        #expect(usage.reports == reports)
        #expect(usage.headerFields.map { "\($0.name): \($0.value)" } == headers)
    }

    @Test(arguments: [
        "", "{}", "[", "[{]", #"[{"count":1}]"#, "[] x",
        #"[{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000,"count":3}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"WEEK","intervalNum":1,"limit":1,"count":1}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":"10","limit":300,"count":1}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":-1}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":1.5}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":01}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":0,"limit":300,"count":1}]"#,
        #"[{"rateLimitType":"ORD\u0045RS","interval":"SECOND","intervalNum":10,"limit":300,"count":1}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":1,"count":2}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":1,"extra":true}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300}]"#,
    ])
    func anythingElseIsLeftToTheGeneralReader(text: String) {
        #expect(RateLimitsFastScan.scan(ArraySlice(Array(text.utf8))) == nil)
        let usage = RateLimitUsage(rateLimitsJSON: ArraySlice(Array(text.utf8)))
        let (reports, headers) = general(text)
        #expect(usage.reports == reports)
        #expect(usage.headerFields.map { "\($0.name): \($0.value)" } == headers)
    }
}
