import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway-bench`: the measuring clients of scripts/bench. Each subcommand prints one
/// JSON line on stdout; scripts/bench turns them into the table and the plot.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "futures-gateway-bench",
        abstract: "Clients for measuring the gateway and the simulator on loopback.",
        subcommands: [
            WebSocketLatency.self, HTTPLatency.self, IdleClients.self, StartTime.self, JournalWrites.self,
            FanoutLatency.self,
        ]
    )
}

/// Where and how long one latency run goes.
struct RunOptions: ParsableArguments {
    @Option(help: "Measured round trips.")
    var count: Int = 20_000

    @Option(help: "Round trips before measuring (not recorded).")
    var warmup: Int = 2_000

    @Option(help: "Name of the run in the JSON line.")
    var name: String = "run"

    @Option(help: "Write every sample (microseconds, one a line) to this file.")
    var samples: String?

    func finish(_ summary: LatencySummary, started: UInt64) throws {
        let seconds = Double(LatencySummary.now() - started) / 1e9
        if let samples { try summary.write(samplesTo: samples) }
        print(summary.json(seconds: seconds))
    }
}

/// Bare WebSocket round trips: `--frame` with `{ID}` replaced by a fresh integer each time.
struct WebSocketLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ws-latency",
        abstract: "Sequential round trips over one WebSocket.")

    @Option(help: "ws://HOST:PORT/PATH of the simulator's WebSocket API.")
    var url: String

    @Option(help: "The request frame; {ID} is replaced by the request id.")
    var frame: String

    @OptionGroup var options: RunOptions

    func run() throws {
        let (host, port, path) = try BenchURL.split(url, scheme: "ws")
        let client = try BareWebSocketClient(host: host, port: port, path: path)
        let parts = frame.components(separatedBy: "{ID}").map { Array($0.utf8) }
        var summary = LatencySummary(name: options.name, capacity: options.count)
        var started = LatencySummary.now()
        for index in 0..<(options.warmup + options.count) {
            if index == options.warmup { started = LatencySummary.now() }
            let text = Array(parts.joined(separator: Array(String(index + 1).utf8)))
            let start = LatencySummary.now()
            let answer = try client.roundTrip(text)
            if index >= options.warmup { summary.add(since: start) }
            if index == 0 {
                guard answer.starts(with: Array(#"{"id":1,"status":200"#.utf8)) else {
                    throw ValidationError("unexpected answer: \(String(decoding: answer.prefix(300), as: UTF8.self))")
                }
            }
        }
        try options.finish(summary, started: started)
    }
}

/// Keep-alive HTTP round trips, one connection, each answer checked for 200.
struct HTTPLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http-latency",
        abstract: "Sequential requests over one keep-alive connection.")

    @Option(help: "http://HOST:PORT/PATH to request.")
    var url: String

    @Option(help: "A JSON body to POST; without it, GET.")
    var body: String?

    @OptionGroup var options: RunOptions

    func run() throws {
        let (host, port, target) = try BenchURL.split(url, scheme: "http")
        let client = try KeepAliveHTTPClient(host: host, port: port)
        let request = client.request(
            method: body == nil ? "GET" : "POST", target: target, body: Array((body ?? "").utf8))
        var summary = LatencySummary(name: options.name, capacity: options.count)
        var started = LatencySummary.now()
        for index in 0..<(options.warmup + options.count) {
            if index == options.warmup { started = LatencySummary.now() }
            let start = LatencySummary.now()
            let response = try client.roundTrip(request)
            if index >= options.warmup { summary.add(since: start) }
            guard response.status == 200 else {
                throw ValidationError(
                    "status \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
            }
        }
        try options.finish(summary, started: started)
    }
}

/// Splits `scheme://host:port/path` for the loopback clients.
enum BenchURL {
    static func split(_ url: String, scheme: String) throws -> (host: String, port: UInt16, path: String) {
        guard url.hasPrefix(scheme + "://") else { throw ValidationError("expected a \(scheme):// URL: \(url)") }
        let rest = url.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let pieces = authority.split(separator: ":")
        guard pieces.count == 2, let port = UInt16(pieces[1]) else {
            throw ValidationError("expected HOST:PORT in \(url)")
        }
        return (String(pieces[0]), port, path.isEmpty ? "/" : String(path))
    }
}
