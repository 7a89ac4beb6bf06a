import Testing

@testable import Upstream

@Suite struct ControlFrameLimiterTests {
    @Test func admitsFiveASecondThenSaysWhenTheNextMayGo() {
        var limiter = ControlFrameLimiter()
        let start = ContinuousClock.now
        for offset in 0..<5 { #expect(limiter.admit(now: start + .milliseconds(offset * 10)) == nil) }
        #expect(
            limiter.admit(now: start + .milliseconds(100)) == .milliseconds(900),
            "the sixth frame within a second must wait")
        #expect(limiter.admit(now: start + .milliseconds(1000)) == nil, "the first send has left the window")
        #expect(limiter.admit(now: start + .milliseconds(1001)) != nil, "four are still in it, plus the one just sent")
    }
}
