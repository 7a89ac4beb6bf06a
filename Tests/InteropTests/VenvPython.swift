import Foundation

/// The project venv's Python (see WebSocketFixture.python), run as a child process by the
/// interop tests that drive third-party Python clients.
enum VenvPython {
    /// Runs the venv's python with `arguments`; returns its first line of standard output.
    static func firstLine(_ arguments: [String], timeout: TimeInterval) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: WebSocketFixture.python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var data = Data()
        let reader = output.fileHandleForReading
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            if chunk.isEmpty { if !process.isRunning { break } } else { data.append(chunk) }
            if Date() > deadline {
                process.terminate()
                break
            }
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
