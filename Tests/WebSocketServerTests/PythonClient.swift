import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Runs `ws_client.py` (the Python `websockets` package, a client we did not write) once and
/// returns the line it prints. The interpreter is `RepositoryRoot.python`.
enum PythonClient {
    static let script = RepositoryRoot.appending("Tests/WebSocketServerTests/ws_client.py")

    /// Runs one mode against `port`; kills the client if it outlives `timeout`.
    static func run(
        _ mode: String, port: UInt16, _ arguments: [String] = [], timeout: Duration = .seconds(20)
    ) throws -> String {
        let outcome = try ChildProcess.run(
            URL(fileURLWithPath: RepositoryRoot.python),
            [script.path, mode, String(port)] + arguments, timeout: timeout)
        FileHandle.standardError.write(Data(outcome.standardError.utf8))
        return outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
