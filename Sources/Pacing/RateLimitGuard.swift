import Synchronization

/// Keeps the gateway inside the upstream's rate limits: it refuses locally (so the gateway can
/// answer 429 with `Retry-After`) a request that would break a limit, instead of sending it, and
/// after an upstream 429 or 418 it holds traffic of that kind until the window or ban is over.
///
/// Counts follow the exchange's fixed, epoch-aligned windows and are raised to what the upstream
/// reports. Thread-safe (one mutex); the clock (ms since the epoch) is injected.
public final class RateLimitGuard: Sendable {
    private let ledger: Mutex<RateLimitLedger>
    private let clock: @Sendable () -> Int64

    public init(rules: [RateLimitRule] = RateLimitRule.binanceDefaults, clock: @escaping @Sendable () -> Int64) {
        ledger = Mutex(RateLimitLedger(rules: rules))
        self.clock = clock
    }

    /// Counts `weight` and `orders` into the current windows if every affected rule has room and
    /// no hold is active; else refuses with the milliseconds until the relevant window ends or the
    /// hold expires. A refused request counts nowhere.
    public func admit(weight: Int, orders: Int) -> Admission {
        let now = clock()
        return ledger.withLock { $0.admit(weight: max(0, weight), orders: max(0, orders), now: now) }
    }

    /// The upstream's own counts from a WebSocket answer's `rateLimits` array (raw JSON bytes):
    /// raises local counts to at least the reported ones (never lowers them within a window) and
    /// adopts the reported limits and intervals (the rules of a reported kind replace our defaults).
    public func observe(rateLimitsJSON: ArraySlice<UInt8>) {
        observe(reports: RateLimitReport.parse(rateLimitsJSON: rateLimitsJSON))
    }

    /// The limits of `GET /fapi/v1/exchangeInfo`'s `rateLimits` array, which has no counts:
    /// each is adopted with a count of 0.
    public func observe(exchangeInfoRateLimitsJSON json: ArraySlice<UInt8>) {
        observe(reports: RateLimitReport.parse(rateLimitsJSON: json, missingCount: 0))
    }

    /// The same from an array already scanned.
    public func observe(_ usage: RateLimitUsage) {
        observe(reports: usage.reports)
    }

    private func observe(reports: [RateLimitReport]) {
        guard !reports.isEmpty else { return }
        let now = clock()
        ledger.withLock { $0.observe(reports, now: now) }
    }

    /// The same from REST headers (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, …; names
    /// case-insensitive). Headers carry counts only, so they raise the counts of known rules.
    public func observe(restHeaders: [(name: String, value: String)]) {
        let reports = RateLimitReport.parse(restHeaders: restHeaders)
        guard !reports.isEmpty else { return }
        let now = clock()
        ledger.withLock { $0.observe(reports, now: now) }
    }

    /// After an upstream 429 (hold `kind` — ORDERS for -1015, else REQUEST_WEIGHT — until its
    /// window ends, or for `retryAfterSeconds`) or 418 (hold everything until "banned until <ms>"
    /// in `message`, else `Retry-After`, else 2 minutes). Other statuses change nothing.
    public func upstreamRefused(status: Int, code: Int, message: String, retryAfterSeconds: Int?) {
        let now = clock()
        ledger.withLock {
            $0.upstreamRefused(
                status: status, code: code, message: message, retryAfterSeconds: retryAfterSeconds, now: now)
        }
    }

    /// Current counts for metrics and status: each rule, its count now and when its window ends.
    public func snapshot() -> [(rule: RateLimitRule, count: Int, windowEndsMillis: Int64)] {
        let now = clock()
        return ledger.withLock { $0.snapshot(now: now) }
    }
}
