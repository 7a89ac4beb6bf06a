import Logging
import Pacing
import RESTClient
import RawJSON

/// Learns the upstream's rate limits from `GET /fapi/v1/exchangeInfo` at start, before any
/// answer has reported them, so the local limits are right from the first call.
enum ExchangeInfoLimits {
    static func fetch(rest: RESTClient, limits: RateLimitGuard, logger: Logger) {
        let request = RESTRequest(method: .GET, effect: .readOnly) { ("/fapi/v1/exchangeInfo", [], []) }
        rest.send(request) { result in
            guard case .success(let response) = result, response.status == 200,
                let rules = (try? JSONObject(parsing: response.body))?["rateLimits"], rules.array != nil
            else {
                return logger.warning(
                    "cannot read the upstream's rate limits from exchangeInfo; using Binance's defaults")
            }
            limits.observe(exchangeInfoRateLimitsJSON: Array(rules.json.utf8)[...])
            let described = limits.snapshot().map {
                "\($0.rule.kind.rawValue) \($0.rule.limit)/\($0.rule.intervalMillis / 1000)s"
            }
            logger.info("upstream rate limits", metadata: ["limits": "\(described.joined(separator: ", "))"])
        }
    }
}
