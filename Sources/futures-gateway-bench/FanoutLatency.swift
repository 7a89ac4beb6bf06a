import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Fan-out latency: one connection straight to the upstream's stream (the reference) and N
/// local subscribers of the same stream on the gateway. For every frame, each subscriber's
/// sample is the time from the reference receiving it to that subscriber receiving it: the
/// gateway's hop plus its fan-out to N sockets. Times are the kernel's arrival stamps of each read
/// (`SO_TIMESTAMPNS`), so the bench's own pass over N sockets does not count; a frame that shares
/// a read with an earlier one gets that read's stamp.
struct FanoutLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fanout-latency",
        abstract: "Frame latency from the upstream to N local subscribers of one stream.")

    @Option(help: "ws://HOST:PORT/PATH of the stream on the upstream (the simulator).")
    var reference: String

    @Option(help: "ws://HOST:PORT/PATH of the same stream on the gateway.")
    var url: String

    @Option(help: "Local subscribers.")
    var subscribers: Int = 1_000

    /// `--count` frames are measured (each gives one sample per subscriber), after `--warmup` more.
    @OptionGroup var options: RunOptions

    @Option(help: "Give up after this many seconds.")
    var timeout: Double = 120

    func run() throws {
        BlockingSocket.raiseOpenFileLimit()
        let (referenceHost, referencePort, referencePath) = try BenchURL.split(reference, scheme: "ws")
        let (host, port, path) = try BenchURL.split(url, scheme: "ws")
        var clients = [try BareWebSocketClient(host: referenceHost, port: referencePort, path: referencePath)]
        for _ in 0..<subscribers { clients.append(try BareWebSocketClient(host: host, port: port, path: path)) }
        for client in clients { client.socket.enableArrivalTimes() }
        var polls = clients.map { pollfd(fd: $0.socket.fd, events: Int16(POLLIN), revents: 0) }
        // Frame bytes → when the reference got it, and how many subscribers still owe it.
        var sent: [[UInt8]: (at: UInt64, owed: Int, measured: Bool)] = [:]
        var early: [[UInt8]: [UInt64]] = [:]  // subscribers that got a frame before the reference did
        var summary = LatencySummary(name: options.name, capacity: options.count * subscribers)
        var referenceFrames = 0
        let started = LatencySummary.now()
        let deadline = started + UInt64(timeout * 1e9)
        func record(_ frame: [UInt8], at time: UInt64) {
            guard var entry = sent[frame] else { return early[frame, default: []].append(time) }
            if entry.measured { summary.samples.append(Double(time &- min(time, entry.at)) / 1000) }
            entry.owed -= 1
            sent[frame] = entry.owed == 0 ? nil : entry
        }
        // Until every subscriber has had a frame, the gateway may still be subscribing upstream.
        var waiting = Set(1...subscribers)
        while !waiting.isEmpty {
            guard LatencySummary.now() < deadline else {
                throw ValidationError("\(waiting.count) subscribers got nothing")
            }
            guard poll(&polls, nfds_t(polls.count), 1000) >= 0 else { continue }
            for index in polls.indices where polls[index].revents != 0 {
                if try !clients[index].readMessages().messages.isEmpty { waiting.remove(index) }
            }
        }
        while referenceFrames < options.warmup + options.count || !sent.isEmpty {
            guard LatencySummary.now() < deadline else { throw ValidationError("timed out; \(sent.count) frames owed") }
            guard poll(&polls, nfds_t(polls.count), 1000) >= 0 else { continue }
            for index in polls.indices where polls[index].revents != 0 {
                let (messages, arrival) = try clients[index].readMessages()
                guard let time = arrival else { throw ValidationError("the kernel gave no arrival time") }
                for frame in messages {
                    if index == 0 {
                        guard referenceFrames < options.warmup + options.count else { continue }
                        referenceFrames += 1
                        let measured = referenceFrames > options.warmup
                        sent[frame] = (time, subscribers, measured)
                        for earlier in early.removeValue(forKey: frame) ?? [] { record(frame, at: max(earlier, time)) }
                    } else {
                        record(frame, at: time)
                    }
                }
            }
            if early.count > 10_000 { early.removeAll() }  // frames the reference never saw
        }
        try options.finish(summary, started: started)
    }
}
