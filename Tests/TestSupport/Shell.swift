import Foundation

/// Runs a shell command line; returns everything it wrote to standard output.
public enum Shell {
    public static func run(_ command: String, timeout: TimeInterval = 20) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var data = Data()
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            data.append(chunk)
            if Date() > deadline {
                process.terminate()
                break
            }
        }
        return String(decoding: data, as: UTF8.self)
    }
}
