import HTTP1
import Pacing
import RESTClient
import RawJSON
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
    /// The WebSocket answer's `rateLimits` array, scanned once: the usage headers come from it too.
    let rateLimits: RateLimitUsage?

    init(webSocket reply: UpstreamReply) {
        transport = .webSocket
        status = reply.status
        body = reply.body
        rateLimits = reply.rateLimits.map(RateLimitUsage.init(rateLimitsJSON:))
        usageHeaders = rateLimits?.headerFields ?? []
        retryAfter = nil
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
    var errorCode: Int? { succeeded ? nil : errorMember("code").flatMap { Int($0) } }

    var errorMessage: String { errorMember("msg") ?? "" }

    /// One member of the `{"code","msg"}` body, as text.
    private func errorMember(_ key: String) -> String? {
        var scanner = RawJSONScanner(body)
        guard let members = try? scanner.document() else { return nil }
        switch members.first(where: { $0.key == key })?.value {
        case .string(let text)?, .raw(let text)?: return text
        default: return nil
        }
    }
}

/// Upstream usage header fields from REST answers, named as Binance's REST API names them
/// (WebSocket answers get theirs from `RateLimitUsage`).
enum RateLimitHeaders {
    static func isUsageField(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("x-mbx-used-weight-") || lower.hasPrefix("x-mbx-order-count-")
    }
}
