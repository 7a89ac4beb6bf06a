import Foundation
import TestSupport

/// The project venv's Python (`RepositoryRoot.python`), run as a child process by the
/// interop tests that drive third-party Python clients.
enum VenvPython {
    /// Runs the venv's python with `arguments`; returns its first line of standard output.
    static func firstLine(_ arguments: [String], timeout: TimeInterval) throws -> String {
        let process = try ChildProcess(
            URL(fileURLWithPath: RepositoryRoot.python), arguments, capturing: .standardOutput)
        let line = process.waitForLine(within: .milliseconds(Int(timeout * 1000))) { _ in true } ?? process.text
        return line.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
