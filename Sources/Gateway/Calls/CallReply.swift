import Foundation
import HTTP1
import RESTClient
import Upstream

/// An upstream answer to one call, WebSocket or REST, in the shape the gateway forwards:
/// the status, the bytes to send on unchanged, and the rate-limit usage the upstream reported.
struct CallReply: Sendable {
    enum Transport: String, Sendable {
        case webSocket = "ws"
        case rest
    }

    let transport: Transport
    let status: Int
    /// `result` on success, `{"code","msg"}` on failure; never re-encoded.
    let body: ArraySlice<UInt8>
    /// `X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`, … as the upstream reported them.
    let usageHeaders: [(name: String, value: String)]
    /// The upstream's `Retry-After`, in seconds, when it sent one.
    let retryAfter: Int?
    /// The WebSocket answer's `rateLimits` array, as sent.
    let rateLimits: ArraySlice<UInt8>?

    init(webSocket reply: UpstreamReply) {
        transport = .webSocket
        status = reply.status
        body = reply.body
        usageHeaders = reply.rateLimits.map(RateLimitHeaders.fields) ?? []
        retryAfter = nil
        rateLimits = reply.rateLimits
    }

    init(rest response: RESTResponse) {
        transport = .rest
        status = response.status
        body = response.body[...]
        usageHeaders = response.headers.compactMap { field in
            // Binance's spelling, whatever case the transport used (HTTP/2 names are lower case).
            RateLimitHeaders.isUsageField(field.name) ? (field.name.uppercased(), field.value) : nil
        }
        retryAfter = response.headers.values(for: "Retry-After").first.flatMap { Int($0) }
        rateLimits = nil
    }

    var succeeded: Bool { (200..<300).contains(status) }

    /// The Binance error code of a failed answer.
    var errorCode: Int? {
        guard !succeeded else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["code"] as? Int
    }

    var errorMessage: String {
        ((try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["msg"] as? String) ?? ""
    }
}

/// Upstream usage as response header fields, named as Binance's REST API names them.
enum RateLimitHeaders {
    /// `[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,…,"count":12}]`
    /// → `X-MBX-USED-WEIGHT-1M: 12`; ORDERS → `X-MBX-ORDER-COUNT-10S`, `X-MBX-ORDER-COUNT-1M`.
    static func fields(_ rateLimits: ArraySlice<UInt8>) -> [(name: String, value: String)] {
        guard let entries = try? JSONSerialization.jsonObject(with: Data(rateLimits)) as? [[String: Any]] else { return [] }
        return entries.compactMap { entry in
            guard let type = entry["rateLimitType"] as? String, let interval = entry["interval"] as? String,
                  let number = entry["intervalNum"] as? Int, let count = entry["count"] as? Int,
                  let unit = interval.first else { return nil }
            let prefix = switch type {
            case "REQUEST_WEIGHT": "X-MBX-USED-WEIGHT-"
            case "ORDERS": "X-MBX-ORDER-COUNT-"
            default: "X-MBX-\(type)-"
            }
            return (prefix + "\(number)\(unit)", String(count))
        }
    }

    static func isUsageField(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("x-mbx-used-weight-") || lower.hasPrefix("x-mbx-order-count-")
    }
}
