/// The ORDERS rate limits, as the exchange counts them: per account (API key), in fixed 10-second
/// and one-minute windows (300 and 1200 by default), 429 with -1015 past either limit.
///
/// Counted methods: `order.place`, `order.modify` and `algoOrder.place` (reference §5). Every
/// authenticated request of those counts, accepted or rejected by the order checks; a request
/// refused here does not count (assumption: Binance does not document either point for futures).
struct OrderRateLimiter: Sendable {
    /// One account's counts in the current windows.
    struct Counts: Sendable, Equatable {
        var tenSecondWindow: Int64 = 0
        var tenSeconds = 0
        var minuteWindow: Int64 = 0
        var minute = 0
    }

    let limit10s: Int
    let limit1m: Int
    private var accounts: [String: Counts] = [:]

    init(limit10s: Int = 300, limit1m: Int = 1200) {
        self.limit10s = limit10s
        self.limit1m = limit1m
    }

    /// The counts of `apiKey` at `now` (windows that ended count as zero).
    func counts(_ apiKey: String, now: Int64) -> Counts {
        var counts = accounts[apiKey] ?? Counts()
        let tenSecondWindow = now - now % 10_000, minuteWindow = now - now % 60_000
        if counts.tenSecondWindow != tenSecondWindow {
            counts.tenSecondWindow = tenSecondWindow
            counts.tenSeconds = 0
        }
        if counts.minuteWindow != minuteWindow {
            counts.minuteWindow = minuteWindow
            counts.minute = 0
        }
        return counts
    }

    /// Counts one order for `apiKey` at `now`, or refuses it (the 10-second limit is checked first).
    mutating func charge(_ apiKey: String, now: Int64) -> Result<Counts, ExchangeError> {
        var counts = counts(apiKey, now: now)
        accounts[apiKey] = counts
        if counts.tenSeconds >= limit10s { return .failure(.tooManyOrders(limit: limit10s, per: "10 SECOND")) }
        if counts.minute >= limit1m { return .failure(.tooManyOrders(limit: limit1m, per: "MINUTE")) }
        counts.tenSeconds += 1
        counts.minute += 1
        accounts[apiKey] = counts
        return .success(counts)
    }

    /// The two `ORDERS` entries of `rateLimits` (10 s, then 1 min), comma-separated, no brackets.
    func entriesJSON(_ apiKey: String, now: Int64) -> String {
        let counts = counts(apiKey, now: now)
        return
            #"{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":\#(limit10s),"count":\#(counts.tenSeconds)},"#
            + #"{"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":\#(limit1m),"count":\#(counts.minute)}"#
    }

    /// `X-MBX-ORDER-COUNT-10S` and `X-MBX-ORDER-COUNT-1M`, for the REST order endpoints.
    func headers(_ apiKey: String, now: Int64) -> [(String, String)] {
        let counts = counts(apiKey, now: now)
        return [("X-MBX-ORDER-COUNT-10S", String(counts.tenSeconds)), ("X-MBX-ORDER-COUNT-1M", String(counts.minute))]
    }
}

extension ExchangeError {
    /// -1015 with Binance's placeholders filled the way the spot API fills them for ORDERS limits:
    /// "…current limit is 300 orders per 10 SECOND." / "…1200 orders per MINUTE." (assumption for futures).
    static func tooManyOrders(limit: Int, per interval: String) -> ExchangeError {
        ExchangeError(
            status: 429, code: -1015, message: "Too many new orders; current limit is \(limit) orders per \(interval).")
    }
}
