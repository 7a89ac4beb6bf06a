import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a command and measures the time until `--url` answers 200 (for `/readyz`), polling
/// every 200 µs; then stops the command with SIGTERM.
struct StartTime: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-time",
        abstract: "Milliseconds from spawning a command to a 200 from a URL.")

    @Option(help: "http://HOST:PORT/PATH polled until it answers 200.")
    var url: String

    @Option(help: "Give up after this many seconds.")
    var timeout: Double = 10

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
    var command: [String]

    func run() throws {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        guard let executable = arguments.first else { throw ValidationError("no command given") }
        let (host, port, target) = try BenchURL.split(url, scheme: "http")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        process.standardError = FileHandle.nullDevice
        let start = LatencySummary.now()
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        while Double(LatencySummary.now() - start) / 1e9 < timeout {
            if let client = try? KeepAliveHTTPClient(host: host, port: port),
                let response = try? client.roundTrip(client.request(method: "GET", target: target, body: [])),
                response.status == 200
            {
                let millis = Double(LatencySummary.now() - start) / 1e6
                print(#"{"name":"start-time","ms":\#(String(format: "%.1f", millis))}"#)
                return
            }
            usleep(200)
        }
        throw ValidationError("no 200 from \(url) within \(timeout) s")
    }
}
