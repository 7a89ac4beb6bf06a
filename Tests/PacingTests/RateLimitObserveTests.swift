import Testing

@testable import Pacing

/// The upstream's own counts (WebSocket `rateLimits`, REST headers) raise ours and replace limits.
@Suite struct RateLimitObserveTests {
    func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(Array(text.utf8)) }

    func rules(_ limiter: RateLimitGuard) -> [String] {
        limiter.snapshot().map { "\($0.rule.kind.rawValue)/\($0.rule.intervalMillis)/\($0.rule.limit)=\($0.count)" }
    }

    @Test func reportedCountsRaiseOursButNeverLowerThem() {
        let clock = PinnedClock()
        let limiter = RateLimitGuard(clock: clock.read)
        #expect(limiter.admit(weight: 3, orders: 0) == .allowed)
        limiter.observe(
            rateLimitsJSON: bytes(
                #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":2390}]"#))
        #expect(limiter.admit(weight: 11, orders: 0).refusedKind == .requestWeight)
        #expect(limiter.admit(weight: 10, orders: 0) == .allowed)
        limiter.observe(
            rateLimitsJSON: bytes(
                #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":5}]"#))
        #expect(rules(limiter).first == "REQUEST_WEIGHT/60000/2400=2400")
        clock.advance(60_000)
        limiter.observe(
            rateLimitsJSON: bytes(
                #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":5}]"#))
        #expect(rules(limiter).first == "REQUEST_WEIGHT/60000/2400=5", "a new window starts from the report")
    }

    @Test func reportedRulesReplaceOurDefaultsOfTheirKind() {
        let clock = PinnedClock()
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.observe(
            rateLimitsJSON: bytes(
                """
                [ {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000, "count": 1},
                  {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":49},
                  {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":2,"limit":100,"count":7,"extra":{"a":[1]}} ]
                """))
        #expect(rules(limiter) == ["REQUEST_WEIGHT/60000/6000=1", "ORDERS/10000/50=49", "ORDERS/120000/100=7"])
        #expect(limiter.admit(weight: 0, orders: 1) == .allowed)
        #expect(limiter.admit(weight: 0, orders: 1).retryAfter == 10_000)
        // An answer of a non-order method reports REQUEST_WEIGHT only: the ORDERS rules stay.
        limiter.observe(
            rateLimitsJSON: bytes(
                #"[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":20}]"#))
        #expect(rules(limiter) == ["REQUEST_WEIGHT/60000/6000=20", "ORDERS/10000/50=50", "ORDERS/120000/100=8"])
    }

    @Test func restHeadersRaiseCounts() {
        let clock = PinnedClock()
        let limiter = RateLimitGuard(clock: clock.read)
        limiter.observe(restHeaders: [
            ("x-mbx-used-weight-1m", "2399"), ("X-MBX-ORDER-COUNT-10S", "300"),
            ("X-MBX-ORDER-COUNT-1M", " 301 "), ("Content-Type", "application/json"),
            ("X-MBX-USED-WEIGHT-1M", "oops"),
        ])
        #expect(rules(limiter) == ["REQUEST_WEIGHT/60000/2400=2399", "ORDERS/10000/300=300", "ORDERS/60000/1200=301"])
        #expect(limiter.admit(weight: 1, orders: 0) == .allowed)
        #expect(limiter.admit(weight: 0, orders: 1).refusedKind == .orders)
    }

    @Test(arguments: [
        "", "[", "{}", #"[{"rateLimitType":"ORDERS"}]"#,
        #"[{"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":1,"limit":1,"count":1}]"#,
        #"[{"rateLimitType":"ORDERS","interval":"WEEK","intervalNum":1,"limit":1,"count":1}]"#, #"[1,2]"#,
    ])
    func malformedOrUnknownReportsChangeNothing(_ text: String) {
        let limiter = RateLimitGuard(clock: PinnedClock().read)
        limiter.observe(rateLimitsJSON: bytes(text))
        #expect(rules(limiter) == ["REQUEST_WEIGHT/60000/2400=0", "ORDERS/10000/300=0", "ORDERS/60000/1200=0"])
    }

    @Test func aSliceInsideALargerBufferIsRead() {
        let frame = Array(
            #"{"id":1,"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":4}]}"#
                .utf8)
        let start = frame.firstIndex(of: UInt8(ascii: "["))!
        let reports = RateLimitReport.parse(rateLimitsJSON: frame[start..<(frame.count - 1)])
        #expect(reports == [RateLimitReport(kind: .orders, intervalMillis: 10_000, limit: 300, count: 4)])
    }
}

/// A `rateLimits` array scanned once gives the ledger's reports and the REST-style usage headers.
@Suite struct RateLimitUsageTests {
    @Test func headerFieldsNameEachEntryAsBinanceRESTDoes() {
        let usage = RateLimitUsage(
            rateLimitsJSON: ArraySlice(
                Array(
                    """
                    [{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400,"count":12},
                     {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300,"count":1},
                     {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200,"count":0},
                     {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":61000,"count":3},
                     {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":"x","count":1}]
                    """.utf8)))
        #expect(
            usage.headerFields.map { "\($0.name): \($0.value)" } == [
                "X-MBX-USED-WEIGHT-1M: 12", "X-MBX-ORDER-COUNT-10S: 1", "X-MBX-ORDER-COUNT-1M: 0",
                "X-MBX-RAW_REQUESTS-5M: 3",
            ])
        #expect(usage.reports.map(\.count) == [12, 1, 0], "unknown kinds and bad entries teach the ledger nothing")
        let limiter = RateLimitGuard(clock: PinnedClock().read)
        limiter.observe(usage)
        #expect(limiter.snapshot().first { $0.rule.kind == .requestWeight }?.count == 12)
    }

    @Test func malformedArraysGiveNothing() {
        for text in ["", "{}", "[{]", #"[{"count":1}"#] {
            let usage = RateLimitUsage(rateLimitsJSON: ArraySlice(Array(text.utf8)))
            #expect(usage.headerFields.isEmpty && usage.reports.isEmpty, "\(text)")
        }
    }
}
