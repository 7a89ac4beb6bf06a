import Dispatch
import Testing

@testable import Upstream

@Suite struct ControlFrameLimiterTests {
    @Test func admitsFiveASecondThenSaysWhenTheNextMayGo() {
        var limiter = ControlFrameLimiter()
        let start = DispatchTime.now()
        for offset in 0..<5 { #expect(limiter.admit(now: start + .milliseconds(offset * 10)) == nil) }
        guard case .nanoseconds(let wait)? = limiter.admit(now: start + .milliseconds(100)) else {
            Issue.record("the sixth frame within a second must wait")
            return
        }
        #expect(wait == 900_000_000)
        #expect(limiter.admit(now: start + .milliseconds(1000)) == nil, "the first send has left the window")
        #expect(limiter.admit(now: start + .milliseconds(1001)) != nil, "four are still in it, plus the one just sent")
    }
}
