import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program a test starts: a server to talk to (`init`, killed when the value goes away) or a
/// command that runs to its end (`run`).
///
/// A server's captured output is read on a background thread, so a test can wait for the line
/// that says it listens with a deadline. Standard error not captured passes through to the
/// test's own, where a failure can be read; standard output not captured is discarded.
public final class ChildProcess {
    /// Which of the child's output streams are collected.
    public struct Streams: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let standardOutput = Streams(rawValue: 1)
        public static let standardError = Streams(rawValue: 2)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// What a command that ran to its end (or was killed at its deadline) left.
    public struct Outcome: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        public let timedOut: Bool

        /// Exited by itself with status 0.
        public var succeeded: Bool { !timedOut && status == 0 }
    }

    /// What the child wrote so far, shared with the reader thread.
    private final class Output: Sendable {
        let text = Mutex("")
        let finished = Mutex(false)
    }

    private let process = Process()
    private let output = Output()
    /// Kept open: some servers stop at the end of their input.
    private let input = Pipe()

    /// Starts `executable` with `arguments`, `environment` added to this process's, in `directory`.
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        capturing streams: Streams = [.standardOutput, .standardError]
    ) throws {
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = streams.contains(.standardOutput) ? pipe : FileHandle.nullDevice
        process.standardError = streams.contains(.standardError) ? pipe : FileHandle.standardError
        process.standardInput = input
        do {
            try process.run()
        } catch {
            throw Failure("cannot start \(executable.path): \(error)")
        }
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

    /// Starts the program `arguments[0]` found on `PATH`.
    public convenience init(
        command arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        capturing streams: Streams = [.standardOutput, .standardError]
    ) throws {
        try self.init(
            URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: environment, directory: directory,
            capturing: streams)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Everything captured so far.
    public var text: String { output.text.withLock { $0 } }

    /// What was captured so far, as complete lines.
    public var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the unterminated rest, empty when the text ends in a newline
        return lines
    }

    /// Waits for a captured line that satisfies `matches`; `nil` after `timeout`.
    public func waitForLine(within timeout: Duration = .seconds(10), where matches: (String) -> Bool) -> String? {
        var found: String?
        _ = eventually(timeout) {
            found = lines.first(where: matches)
            return found != nil || !process.isRunning && output.finished.withLock { $0 }
        }
        return found
    }

    /// Waits for a line starting with `prefix` and returns the rest of it, trimmed.
    public func waitForLine(startingWith prefix: String, within timeout: Duration = .seconds(15)) throws -> String {
        guard let line = waitForLine(within: timeout, where: { $0.hasPrefix(prefix) }) else {
            throw Failure("no line starting with \"\(prefix)\" from \(process.arguments ?? []): \(text)")
        }
        return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The port from a line like "ACCEPT 127.0.0.1:44485" or "PORT 44485".
    public func waitForPort(prefix: String, within timeout: Duration = .seconds(15)) throws -> UInt16 {
        let rest = try waitForLine(startingWith: prefix, within: timeout)
        guard let port = rest.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            throw Failure("no port in \"\(rest)\"")
        }
        return port
    }

    /// Waits for the process to exit and its output to end; its exit status, or `nil` after `timeout`.
    ///
    /// Output normally ends with the process; if a process another test started meanwhile
    /// inherited the pipe and holds it open, what arrived within a second of the exit is all.
    public func waitForExit(within timeout: Duration = .seconds(10)) -> Int32? {
        guard eventually(timeout, { !process.isRunning }) else { return nil }
        _ = eventually(.seconds(1)) { output.finished.withLock { $0 } }
        return process.terminationStatus
    }

    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    public var isRunning: Bool { process.isRunning }

    public var pid: Int32 { process.processIdentifier }

    /// Runs `executable` to its end, killing it after `timeout`; its status and output.
    ///
    /// Output goes to temporary files, not pipes: a process that another test starts meanwhile
    /// may inherit a pipe's write end and hold it open, and a reader waiting for end of file would
    /// then wait for that process instead of this one.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        directory: URL? = nil, timeout: Duration = .seconds(20)
    ) throws -> Outcome {
        let standardOutput = try TemporaryFile()
        let standardError = try TemporaryFile()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = standardOutput.handle
        process.standardError = standardError.handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure("cannot start \(executable.path): \(error)")
        }
        standardOutput.closeHandle()
        standardError.closeHandle()
        let finished = eventually(timeout) { !process.isRunning }
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return Outcome(
            status: process.terminationStatus, standardOutput: standardOutput.contents,
            standardError: standardError.contents, timedOut: !finished)
    }

    /// Runs the program `arguments[0]` found on `PATH` to its end; see `run(_:_:environment:directory:timeout:)`.
    public static func run(
        command arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        timeout: Duration = .seconds(20)
    ) throws -> Outcome {
        try run(
            URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: environment, directory: directory,
            timeout: timeout)
    }

    /// Runs the program `arguments[0]` found on `PATH` to its end; its standard output. Throws,
    /// with its standard error, unless it exited with status 0 within `timeout`.
    @discardableResult
    public static func output(
        of arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
        timeout: Duration = .seconds(20)
    ) throws -> String {
        let outcome = try run(command: arguments, environment: environment, directory: directory, timeout: timeout)
        guard outcome.succeeded else {
            let how = outcome.timedOut ? "timed out" : "exited with \(outcome.status)"
            throw Failure("\(arguments.joined(separator: " ")) \(how): \(outcome.standardError.suffix(3000))")
        }
        return outcome.standardOutput
    }
}

/// An empty file under the system's temporary directory, removed with the value.
private final class TemporaryFile {
    let path: String
    private(set) var handle: FileHandle

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString).out").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    deinit { unlink(path) }

    func closeHandle() { try? handle.close() }

    var contents: String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
}
