import OrderBook
import Streams

extension OrderBooks {
    /// The gateway's books: diffs from the stream hub, snapshots over the upstreams.
    public static func gateway(
        upstreams: GatewayUpstreams, hub: StreamHub, configuration: Configuration = Configuration()
    ) -> OrderBooks {
        gateway(upstreams: upstreams, feed: StreamHubDepthFeed(hub: hub), configuration: configuration)
    }

    /// Books whose diffs come from `feed`, snapshots over the upstreams.
    public static func gateway(
        upstreams: GatewayUpstreams, feed: any DepthFeed, configuration: Configuration = Configuration()
    ) -> OrderBooks {
        let clockSync = ClockSync(rest: upstreams.rest, clock: upstreams.clock, logger: upstreams.logger)
        let executor = CallExecutor(upstreams: upstreams, clockSync: clockSync, journal: nil)
        return OrderBooks(
            feed: feed, snapshots: GatewaySnapshotSource(executor: executor), configuration: configuration,
            logger: upstreams.logger)
    }

    /// The books' lines of `GET /metrics`.
    var metricsText: String {
        let counters = counters
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        metric(
            "futures_gateway_book_gaps_total", "counter",
            "Sequence breaks (pu not the previous u) and feed interruptions of a synced local order book.",
            "\(counters.gaps)")
        metric(
            "futures_gateway_book_resyncs_total", "counter", "Local order books synced again after a gap.",
            "\(counters.resyncs)")
        metric(
            "futures_gateway_book_snapshots_total", "counter", "Depth snapshots asked for by the local order books.",
            "\(counters.snapshots)")
        metric(
            "futures_gateway_book_unreadable_payloads_total", "counter",
            "Depth stream payloads a local order book could not read (each one resyncs the book).",
            "\(counters.unreadablePayloads)")
        metric("futures_gateway_books", "gauge", "Local order books maintained.", "\(counters.books)")
        metric(
            "futures_gateway_books_synced", "gauge", "Local order books synced and served.", "\(counters.syncedBooks)")
        return out
    }
}
