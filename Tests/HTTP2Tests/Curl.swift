import Foundation
import TestSupport

/// Runs the system `curl` and returns what it printed on stdout, and its exit status.
func curl(_ arguments: [String]) throws -> (output: String, status: Int32) {
    let outcome = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "10"] + arguments)
    return (outcome.standardOutput, outcome.status)
}
