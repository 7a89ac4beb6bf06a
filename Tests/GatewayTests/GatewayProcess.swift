#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TestSupport

/// The built `futures-gateway` executable running as a child process, for end-to-end tests.
///
/// Standard error is collected on a background thread so tests can wait for a line with a
/// deadline. A process still running when the value goes away is killed, so a failing test
/// never leaves a server behind.
final class GatewayProcess {
    /// Everything the child wrote to standard error so far, shared with the reader thread.
    private final class Output: Sendable {
        let text = Mutex("")
        let finished = Mutex(false)
    }

    enum Failure: Error, CustomStringConvertible {
        case executableNotFound([String])

        var description: String {
            switch self {
            case .executableNotFound(let searched):
                "futures-gateway not found (run `swift build` first); looked in: \(searched.joined(separator: ", "))"
            }
        }
    }

    private let process = Process()
    private let output = Output()
    /// The child's own `XDG_STATE_HOME` and `TMPDIR`, removed with it.
    private let scratch = GatewayProcess.temporaryDirectory()

    /// Starts `futures-gateway` with `arguments`, and `environment` added to this process's.
    /// `XDG_STATE_HOME` and `TMPDIR` are a new temporary directory unless `environment` names
    /// them, so no test shares (or leaves behind) a journal. With `readingStandardOutput`,
    /// standard output is read along with standard error.
    init(_ arguments: [String], environment: [String: String] = [:], readingStandardOutput: Bool = false) throws {
        process.executableURL = try Self.executable()
        process.arguments = arguments
        var environment = environment
        if environment["XDG_STATE_HOME"] == nil { environment["XDG_STATE_HOME"] = scratch }
        if environment["TMPDIR"] == nil { environment["TMPDIR"] = scratch }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = readingStandardOutput ? pipe : FileHandle.nullDevice
        try process.run()
        let reading = pipe.fileHandleForReading
        let output = output
        Thread {
            while true {
                let data = reading.availableData
                if data.isEmpty { break }
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            output.finished.withLock { $0 = true }
        }.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// Standard error so far, as complete lines.
    var lines: [String] {
        let text = output.text.withLock { $0 }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the unterminated rest, empty when the text ends in a newline
        return lines
    }

    /// Everything on standard error so far.
    var standardError: String { output.text.withLock { $0 } }

    /// Waits for a line of standard error that satisfies `matches`; `nil` after `timeout`.
    func waitForLine(within timeout: Duration = .seconds(10), where matches: (String) -> Bool) -> String? {
        var found: String?
        _ = eventually(timeout) {
            found = lines.first(where: matches)
            return found != nil
        }
        return found
    }

    /// Waits for `listening on …` and returns what follows it.
    func listeningAddress(within timeout: Duration = .seconds(10)) -> String? {
        waitForLine(within: timeout) { $0.hasPrefix("listening on ") }.map { String($0.dropFirst("listening on ".count)) }
    }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and standard error to end; its exit status, or `nil` after `timeout`.
    ///
    /// Standard error normally ends with the process; if a process another test started meanwhile
    /// inherited the pipe and holds it open, what arrived within a second of the exit is all.
    func waitForExit(within timeout: Duration = .seconds(10)) -> Int32? {
        guard eventually(timeout, { !process.isRunning }) else { return nil }
        _ = eventually(.seconds(1)) { output.finished.withLock { $0 } }
        return process.terminationStatus
    }

    var isRunning: Bool { process.isRunning }

    var pid: Int32 { process.processIdentifier }

    /// The process's resident set size in bytes (VmRSS in /proc), or nil once it has gone.
    var residentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1024
    }

    /// A new empty directory under the system's temporary directory.
    static func temporaryDirectory() -> String {
        var template = Array((NSTemporaryDirectory() + "futures-gateway-test-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    /// The `futures-gateway` executable in the build products directory that holds this test
    /// bundle (`FUTURES_GATEWAY_EXECUTABLE` overrides).
    static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["FUTURES_GATEWAY_EXECUTABLE"] {
            return URL(fileURLWithPath: path)
        }
        var starts: [URL] = [URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()]
        if let first = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        starts.append(Bundle.main.bundleURL)
        starts.append(Bundle.main.executableURL?.deletingLastPathComponent() ?? Bundle.main.bundleURL)
        var searched: [String] = []
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("futures-gateway")
                searched.append(candidate.path)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw Failure.executableNotFound(searched)
    }
}
