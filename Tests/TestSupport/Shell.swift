import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command line; returns everything it wrote to standard output.
///
/// Output goes to a temporary file, not a pipe: a process that another test starts meanwhile
/// may inherit a pipe's write end and hold it open, and a reader waiting for end of file would
/// then wait for that process instead of this command.
public enum Shell {
    public static func run(_ command: String, timeout: TimeInterval = 20) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID().uuidString).out").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        defer { unlink(path) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.standardOutput = output
        try process.run()
        try? output.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
}
