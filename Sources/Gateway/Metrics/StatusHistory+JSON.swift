import RawJSON

extension StatusHistory {
    /// The history as the status page reads it (`GET /status.json`); `account` is the paper
    /// account's JSON in simulation (the member is left out otherwise). Latencies are the upper
    /// bounds of the histogram buckets holding p50 and p99, in milliseconds, as `/metrics` gives them.
    func json(now: Int64, account: String?) -> String {
        let steps = steps(now: now).map { step -> String in
            let rate = Double(step.answered) / Double(Self.stepMillis / 1000)
            return #"{"start":\#(step.start),"rate":\#(rate),"errors":\#(step.errors),"#
                + #""p50":\#(number(step.latency.quantileBoundMillis(0.5))),"p99":\#(number(step.latency.quantileBoundMillis(0.99))),"#
                + #""rateLimitUse":\#(number(step.rateLimitUse))}"#
        }
        let failures = failures.reversed().map { failure in
            #"{"at":\#(failure.atMillis),"call":\#(JSONString.quoted(failure.call)),"status":\#(failure.status),"#
                + #""requestId":\#(failure.requestId.map(JSONString.quoted) ?? "null"),"answer":\#(JSONString.quoted(failure.answer))}"#
        }
        let events = events.reversed().map { event in
            #"{"at":\#(event.atMillis),"kind":\#(JSONString.quoted(event.kind)),"detail":\#(JSONString.quoted(event.detail))}"#
        }
        return #"{"now":\#(now),"stepSeconds":\#(Self.stepMillis / 1000),"steps":[\#(steps.joined(separator: ","))],"#
            + #""errors":[\#(failures.joined(separator: ","))],"connection":[\#(events.joined(separator: ","))]"#
            + (account.map { #","paperAccount":\#($0)"# } ?? "") + "}"
    }

    private func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return "\(value)"
    }
}

extension LatencyHistogram {
    /// The upper bound (ms) of the bucket holding quantile `q`; nil with no samples or above the last bound.
    func quantileBoundMillis(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let target = q * Double(count)
        var cumulative: UInt64 = 0
        for (index, bound) in Self.bounds.enumerated() {
            cumulative += counts[index]
            if Double(cumulative) >= target { return bound * 1000 }
        }
        return nil
    }
}
