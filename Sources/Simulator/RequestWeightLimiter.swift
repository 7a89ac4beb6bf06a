/// REQUEST_WEIGHT per minute, as the exchange counts it: fixed one-minute windows, 429 with
/// -1003 past the limit, and a temporary ban (418) for a client that keeps going after 429s.
struct RequestWeightLimiter: Sendable {
    let limit: Int
    /// Requests refused with 429 in one window before the ban starts.
    let refusalsBeforeBan: Int
    let banMillis: Int64
    private var windowStart: Int64 = 0
    private var used = 0
    private var refusals = 0
    private var bannedUntil: Int64 = 0

    init(limit: Int = 2400, refusalsBeforeBan: Int = 10, banMillis: Int64 = 120_000) {
        self.limit = limit
        self.refusalsBeforeBan = refusalsBeforeBan
        self.banMillis = banMillis
    }

    /// Charges `weight` at `now`; returns the weight used in this window, or the refusal.
    mutating func charge(_ weight: Int, now: Int64) -> Result<Int, ExchangeError> {
        if now < bannedUntil { return .failure(.banned(untilMillis: bannedUntil)) }
        let window = now - now % 60_000
        if window != windowStart {
            windowStart = window
            used = 0
            refusals = 0
        }
        guard used + weight <= limit else {
            refusals += 1
            if refusals > refusalsBeforeBan {
                bannedUntil = now + banMillis
                return .failure(.banned(untilMillis: bannedUntil))
            }
            return .failure(.tooManyRequests(limit: limit))
        }
        used += weight
        return .success(used)
    }

    /// The `rateLimits` entry the exchange attaches to every answer.
    func rateLimitsJSON() -> String { "[" + entryJSON + "]" }

    /// The REQUEST_WEIGHT entry alone (order methods add their ORDERS entries after it).
    var entryJSON: String {
        #"{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":\#(limit),"count":\#(used)}"#
    }
}
