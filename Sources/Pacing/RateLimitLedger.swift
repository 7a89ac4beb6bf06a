/// The counting behind `RateLimitGuard`, as a value: the rules, each rule's count in its current
/// window, and the holds set after upstream refusals. Time comes in as an argument, so it is a
/// pure state machine.
struct RateLimitLedger: Sendable {
    struct Counter: Sendable {
        var rule: RateLimitRule
        /// Whether the upstream reported this rule (else it is one of our defaults).
        var reported = false
        var windowStart: Int64 = .min
        var count = 0

        /// The count in the window holding `now` (0 once that window has moved on).
        func count(at now: Int64) -> Int { rule.windowStart(now) == windowStart ? count : 0 }

        mutating func roll(to now: Int64) {
            let start = rule.windowStart(now)
            if start != windowStart {
                windowStart = start
                count = 0
            }
        }
    }

    /// A hold after an upstream refusal: nothing of `kind` (everything, for a ban) until `until`.
    struct Hold: Sendable, Equatable {
        var until: Int64
        var reason: String
    }

    private(set) var counters: [Counter]
    private(set) var holds: [RateLimitKind: Hold] = [:]
    private(set) var ban: Hold?

    init(rules: [RateLimitRule]) {
        counters = rules.filter { $0.intervalMillis > 0 }.map { Counter(rule: $0) }
    }

    /// Counts a request of `weight` and `orders`, or refuses it. A REQUEST_WEIGHT hold and a ban
    /// stop every request (the IP is refused); an ORDERS hold stops requests that place orders.
    mutating func admit(weight: Int, orders: Int, now: Int64) -> Admission {
        if let ban, now < ban.until {
            return .refused(kind: .requestWeight, retryAfterMillis: ban.until - now, reason: ban.reason)
        }
        for kind in RateLimitKind.allCases where kind == .requestWeight || orders > 0 {
            if let hold = holds[kind], now < hold.until {
                return .refused(kind: kind, retryAfterMillis: hold.until - now, reason: hold.reason)
            }
        }
        var refusal: (index: Int, wait: Int64, amount: Int)?
        for index in counters.indices {
            counters[index].roll(to: now)
            let counter = counters[index]
            let amount = counter.rule.kind == .requestWeight ? weight : orders
            guard amount > 0, counter.count + amount > counter.rule.limit else { continue }
            let wait = counter.rule.windowEnd(now) - now
            if wait > refusal?.wait ?? 0 { refusal = (index, wait, amount) }
        }
        if let refusal {
            let counter = counters[refusal.index]
            return .refused(
                kind: counter.rule.kind, retryAfterMillis: refusal.wait,
                reason: "\(counter.rule.text) would be exceeded (\(counter.count) used, \(refusal.amount) more asked)")
        }
        for index in counters.indices {
            counters[index].count += counters[index].rule.kind == .requestWeight ? weight : orders
        }
        return .allowed
    }

    /// Adopts the upstream's counts (never lowering ours within a window) and limits: the rules of
    /// a kind the upstream reports replace our defaults of that kind; reported rules are keyed by
    /// kind and interval. A report without a limit (REST headers) only raises an existing rule.
    mutating func observe(_ reports: [RateLimitReport], now: Int64) {
        for report in reports {
            let index = counters.firstIndex {
                $0.rule.kind == report.kind && $0.rule.intervalMillis == report.intervalMillis
            }
            guard
                let index = index
                    ?? report.limit.map({ limit in
                        counters.append(
                            Counter(
                                rule: RateLimitRule(
                                    kind: report.kind, intervalMillis: report.intervalMillis, limit: limit)))
                        return counters.count - 1
                    })
            else { continue }
            if let limit = report.limit {
                counters[index].rule.limit = limit
                counters[index].reported = true
            }
            counters[index].roll(to: now)
            counters[index].count = max(counters[index].count, report.count)
        }
        let replaced = Set(reports.filter { $0.limit != nil }.map(\.kind))
        counters.removeAll { replaced.contains($0.rule.kind) && !$0.reported }
    }

    /// Holds traffic after an upstream 429 or 418 (other statuses are ignored).
    ///
    /// 429: the kind is ORDERS for -1015, else REQUEST_WEIGHT; held for `Retry-After` when given,
    /// else until the window named in the message ("per 10 SECOND") ends, else the kind's longest window.
    /// 418: everything held until "banned until <ms>" in the message, else `Retry-After`, else 2 minutes.
    mutating func upstreamRefused(status: Int, code: Int, message: String, retryAfterSeconds: Int?, now: Int64) {
        let retryAfter = retryAfterSeconds.map { now + Int64(max(0, $0)) * 1000 }
        switch status {
        case 418:
            let until = UpstreamBan.bannedUntil(message) ?? retryAfter ?? now + 120_000
            guard until > now else { return }
            ban = Hold(
                until: max(until, ban?.until ?? .min),
                reason: "the upstream banned this IP until \(until) (418, \(code))")
        case 429:
            let kind: RateLimitKind = code == -1015 ? .orders : .requestWeight
            let rules = counters.map(\.rule).filter { $0.kind == kind }
            let named = UpstreamBan.intervalMillis(message).flatMap { interval in
                rules.first { $0.intervalMillis == interval }
            }
            let rule = named ?? rules.max { $0.intervalMillis < $1.intervalMillis }
            let until = retryAfter ?? rule?.windowEnd(now) ?? now + 60_000
            guard until > now else { return }
            let current = holds[kind]?.until ?? .min
            if until > current {
                holds[kind] = Hold(
                    until: until, reason: "\(kind.rawValue) held after an upstream 429 (\(code)) until \(until)")
            }
        default:
            return
        }
    }

    /// Each rule with its count now and the end of its current window.
    func snapshot(now: Int64) -> [(rule: RateLimitRule, count: Int, windowEndsMillis: Int64)] {
        counters.map { ($0.rule, $0.count(at: now), $0.rule.windowEnd(now)) }
    }
}
