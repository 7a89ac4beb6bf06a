import Foundation

/// Runs a shell command line; returns everything it wrote to standard output (a `ChildProcess`
/// run of `bash -c`, killed after `timeout` seconds). Its standard error goes to the test's own.
public enum Shell {
    public static func run(_ command: String, timeout: TimeInterval = 20) throws -> String {
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: "/bin/bash"), ["-c", command],
            timeout: .milliseconds(Int(timeout * 1000)))
        FileHandle.standardError.write(Data(outcome.standardError.utf8))
        return outcome.standardOutput
    }
}
