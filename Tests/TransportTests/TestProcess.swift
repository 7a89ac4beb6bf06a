#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A helper server (`openssl s_server`, a Python script) running as a child process.
///
/// Standard output and error are collected on a background thread so a test can wait for
/// the line saying it listens. The process is killed when the value goes away.
final class TestProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let process: Process
    private let output = Output()
    private let input = Pipe()

    private final class Output: Sendable {
        let text = Mutex("")
    }

    init(_ arguments: [String], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = input  // kept open: some servers stop at end of input
        try process.run()
        self.process = process
        let reading = pipe.fileHandleForReading
        let output = output
        Thread {
            while true {
                let data = reading.availableData
                if data.isEmpty { break }
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var text: String { output.text.withLock { $0 } }

    /// Waits for a line starting with `prefix` and returns the rest of it.
    func waitForLine(startingWith prefix: String, within timeout: Duration = .seconds(15)) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw Failure(description: "no line starting with \"\(prefix)\" from \(process.arguments ?? []): \(text)")
    }

    /// The port from a line like "ACCEPT 127.0.0.1:44485" or "PORT 44485".
    func waitForPort(prefix: String) throws -> UInt16 {
        let rest = try waitForLine(startingWith: prefix)
        guard let port = rest.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            throw Failure(description: "no port in \"\(rest)\"")
        }
        return port
    }
}
