import Pacing
import RESTClient
import Streams
import Upstream

/// Writes the Prometheus text exposition format (version 0.0.4) of `GET /metrics`, from the
/// gateway's counters and the upstreams' own status.
struct MetricsExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    var metrics: GatewayMetrics.Snapshot
    var webSocket: UpstreamStatus
    var rest: RESTClientStatus
    var rateLimits: [(rule: RateLimitRule, count: Int, windowEndsMillis: Int64)]
    /// The stream hub's counters, when the gateway serves streams.
    var streams: StreamHubCounters? = nil

    var text: String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("futures_gateway_requests_total", "counter", "Calls answered, by call and HTTP status.")
        for (call, counts) in metrics.calls {
            for (status, count) in counts.byStatus.sorted(by: { $0.key < $1.key }) {
                out += "futures_gateway_requests_total{call=\(Self.quoted(call)),status=\"\(status)\"} \(count)\n"
            }
        }
        family(
            "futures_gateway_request_duration_seconds", "histogram",
            "Time from a call's request being received to its response being handed to the connection.")
        for (call, counts) in metrics.calls {
            out += counts.latency.exposition(
                name: "futures_gateway_request_duration_seconds", labels: "call=\(Self.quoted(call))")
        }
        family("futures_gateway_requests_in_flight", "gauge", "Calls received and not yet answered.")
        out += "futures_gateway_requests_in_flight \(metrics.inFlight)\n"
        family(
            "futures_gateway_upstream_duration_seconds", "histogram",
            "Upstream round trip: from a request being sent upstream to its answer.")
        for (transport, histogram) in metrics.upstreamLatency {
            out += histogram.exposition(
                name: "futures_gateway_upstream_duration_seconds", labels: "transport=\"\(transport.rawValue)\"")
        }
        family("futures_gateway_upstream_connected", "gauge", "1 while the upstream connection takes requests.")
        out += "futures_gateway_upstream_connected{transport=\"ws\"} \(webSocket.connected ? 1 : 0)\n"
        out += "futures_gateway_upstream_connected{transport=\"rest\"} \(rest.connected ? 1 : 0)\n"
        family("futures_gateway_upstream_in_flight", "gauge", "Requests sent upstream and not yet answered.")
        out += "futures_gateway_upstream_in_flight{transport=\"ws\"} \(webSocket.inFlight)\n"
        out += "futures_gateway_upstream_in_flight{transport=\"rest\"} \(rest.inFlight)\n"
        family(
            "futures_gateway_upstream_queued", "gauge", "Requests waiting for room in the upstream in-flight window.")
        out += "futures_gateway_upstream_queued{transport=\"ws\"} \(webSocket.queued)\n"
        out += "futures_gateway_upstream_queued{transport=\"rest\"} \(rest.queued)\n"
        family("futures_gateway_upstream_connects_total", "counter", "Upstream connections established.")
        out += "futures_gateway_upstream_connects_total{transport=\"ws\"} \(webSocket.connects)\n"
        out += "futures_gateway_upstream_connects_total{transport=\"rest\"} \(rest.connectionsOpened)\n"
        family(
            "futures_gateway_upstream_reconnects_total", "counter", "Upstream connections replaced after one was lost.")
        out += "futures_gateway_upstream_reconnects_total{transport=\"ws\"} \(webSocket.reconnects)\n"
        out += "futures_gateway_upstream_reconnects_total{transport=\"rest\"} \(rest.reconnects)\n"
        family(
            "futures_gateway_upstream_rotations_total", "counter",
            "Upstream WebSocket connections replaced make-before-break before the upstream's age limit.")
        out += "futures_gateway_upstream_rotations_total{transport=\"ws\"} \(webSocket.rotations)\n"
        family(
            "futures_gateway_rate_limit_used", "gauge", "Units of an upstream rate limit used in its current window.")
        for entry in rateLimits {
            out += "futures_gateway_rate_limit_used{\(Self.labels(entry.rule))} \(entry.count)\n"
        }
        family("futures_gateway_rate_limit_limit", "gauge", "The upstream rate limit: units allowed per window.")
        for entry in rateLimits {
            out += "futures_gateway_rate_limit_limit{\(Self.labels(entry.rule))} \(entry.rule.limit)\n"
        }
        family(
            "futures_gateway_local_rate_limited_total", "counter",
            "Calls the gateway refused itself with 429 because they would break an upstream limit.")
        for kind in RateLimitKind.allCases {
            out +=
                "futures_gateway_local_rate_limited_total{kind=\"\(kind.rawValue)\"} \(metrics.localRefusals[kind] ?? 0)\n"
        }
        if let streams { out += Self.streamFamilies(streams) }
        return out
    }

    /// The stream hub's families: subscriptions, upstream streams and connections, losses.
    static func streamFamilies(_ streams: StreamHubCounters) -> String {
        let rows: [(String, String, String, Int)] = [
            (
                "futures_gateway_stream_subscriptions", "gauge",
                "Local stream subscriptions (a connection with three streams counts three).", streams.subscriptions
            ),
            (
                "futures_gateway_stream_upstream_subscriptions", "gauge", "Distinct streams subscribed upstream.",
                streams.upstreamStreams
            ),
            (
                "futures_gateway_stream_upstream_connections", "gauge", "Open upstream stream connections.",
                streams.upstreamConnections
            ),
            (
                "futures_gateway_stream_reconnects_total", "counter", "Upstream stream connections lost and replaced.",
                streams.reconnects
            ),
            (
                "futures_gateway_stream_rotations_total", "counter",
                "Upstream stream connections replaced make-before-break before 24 h.", streams.rotations
            ),
            (
                "futures_gateway_stream_gaps_total", "counter", "gatewayGap markers sent, one per stream per loss.",
                streams.gaps
            ),
            (
                "futures_gateway_stream_control_messages_total", "counter",
                "SUBSCRIBE and UNSUBSCRIBE messages sent upstream.", streams.controlMessages
            ),
            (
                "futures_gateway_stream_slow_consumers_total", "counter",
                "Local subscribers closed for falling behind (1008 slow consumer).", streams.slowConsumers
            ),
            (
                "futures_gateway_stream_frames_delivered_total", "counter", "Frames handed to local subscribers.",
                streams.framesDelivered
            ),
        ]
        return rows.map { "# HELP \($0.0) \($0.2)\n# TYPE \($0.0) \($0.1)\n\($0.0) \($0.3)\n" }.joined()
    }

    /// `kind="ORDERS",interval="10s"`: Binance's limit type and the window, like its header names.
    static func labels(_ rule: RateLimitRule) -> String {
        let ms = rule.intervalMillis
        let interval =
            switch ms {
            case let ms where ms % 86_400_000 == 0: "\(ms / 86_400_000)d"
            case let ms where ms % 3_600_000 == 0: "\(ms / 3_600_000)h"
            case let ms where ms % 60_000 == 0: "\(ms / 60_000)m"
            case let ms where ms % 1000 == 0: "\(ms / 1000)s"
            case let ms: "\(ms)ms"
            }
        return "kind=\"\(rule.kind.rawValue)\",interval=\"\(interval)\""
    }

    /// A label value in quotes, with `\`, `"` and newlines escaped as the format requires.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for character in value {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.append(character)
            }
        }
        return text + "\""
    }
}
