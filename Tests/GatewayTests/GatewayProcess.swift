import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The built `futures-gateway` executable running as a child process, for end-to-end tests.
///
/// Standard error is collected on a background thread so tests can wait for a line with a
/// deadline. A process still running when the value goes away is killed, so a failing test
/// never leaves a server behind.
final class GatewayProcess {
    private let child: ChildProcess
    /// The child's own `XDG_STATE_HOME` and `TMPDIR`, removed with it.
    private let scratch = GatewayProcess.temporaryDirectory()

    /// Starts `futures-gateway` with `arguments`, and `environment` added to this process's.
    /// `XDG_STATE_HOME` and `TMPDIR` are a new temporary directory unless `environment` names
    /// them, so no test shares (or leaves behind) a journal. With `readingStandardOutput`,
    /// standard output is read along with standard error.
    init(_ arguments: [String], environment: [String: String] = [:], readingStandardOutput: Bool = false) throws {
        var environment = environment
        if environment["XDG_STATE_HOME"] == nil { environment["XDG_STATE_HOME"] = scratch }
        if environment["TMPDIR"] == nil { environment["TMPDIR"] = scratch }
        child = try ChildProcess(
            try Self.executable(), arguments, environment: environment,
            capturing: readingStandardOutput ? [.standardOutput, .standardError] : .standardError)
    }

    deinit {
        if child.isRunning {
            child.send(SIGKILL)
            _ = child.waitForExit(within: .seconds(5))
        }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    /// Standard error so far, as complete lines.
    var lines: [String] { child.lines }

    /// Everything on standard error so far.
    var standardError: String { child.text }

    /// Waits for a line of standard error that satisfies `matches`; `nil` after `timeout`.
    func waitForLine(within timeout: Duration = .seconds(10), where matches: (String) -> Bool) -> String? {
        child.waitForLine(within: timeout, where: matches)
    }

    /// Waits for `listening on …` and returns what follows it.
    func listeningAddress(within timeout: Duration = .seconds(10)) -> String? {
        waitForLine(within: timeout) { $0.hasPrefix("listening on ") }.map {
            String($0.dropFirst("listening on ".count))
        }
    }

    func send(_ signal: Int32) {
        child.send(signal)
    }

    /// Waits for the process to exit and standard error to end; its exit status, or `nil` after `timeout`.
    func waitForExit(within timeout: Duration = .seconds(10)) -> Int32? {
        child.waitForExit(within: timeout)
    }

    var isRunning: Bool { child.isRunning }

    var pid: Int32 { child.pid }

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

    /// The `futures-gateway` executable next to this test bundle (`FUTURES_GATEWAY_EXECUTABLE` overrides).
    static func executable() throws -> URL {
        try ChildProcess.builtExecutable("futures-gateway", override: "FUTURES_GATEWAY_EXECUTABLE")
    }
}
