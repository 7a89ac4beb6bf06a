#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs `ws_client.py` (the Python `websockets` package, a client we did not write) once and
/// returns the line it prints. The interpreter is `INTEROP_PYTHON`, else the project venv.
enum PythonClient {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["INTEROP_PYTHON"], !configured.isEmpty { return configured }
        return directory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".venv/bin/python").path
    }

    /// Runs one mode against `port`; kills the client if it outlives `timeout`.
    static func run(_ mode: String, port: UInt16, _ arguments: [String] = [], timeout: Duration = .seconds(20)) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory.appendingPathComponent("ws_client.py").path, mode, String(port)] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while process.isRunning && clock.now < end { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { usleep(10_000) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
