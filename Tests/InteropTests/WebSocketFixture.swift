import Foundation

/// The Python `websockets` fixture server (Tests/Interop/ws_fixture.py) as a child process.
///
/// The interpreter is `INTEROP_PYTHON` (scripts/test points it at the project venv), else
/// `.venv/bin/python` at the repository root; the fixture fails loudly if `websockets` is missing.
final class WebSocketFixture: @unchecked Sendable {
    let port: UInt16
    private let process: Process

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["INTEROP_PYTHON"], !configured.isEmpty { return configured }
        return repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// Starts the fixture with `arguments` (see the script's flags) and waits for its port.
    init(_ arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.repositoryRoot.appendingPathComponent("Tests/Interop/ws_fixture.py").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw FixtureError.cannotStart("\(Self.python): \(error) (run scripts/test, which creates the venv)")
        }
        self.process = process
        var line = Data()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty { break }
            if byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening "), let port = UInt16(text.dropFirst("listening ".count)) else {
            process.terminate()
            throw FixtureError.cannotStart("fixture said \"\(text)\"")
        }
        self.port = port
    }

    var url: String { "ws://127.0.0.1:\(port)/ws-fapi/v1" }

    /// Ends the fixture: SIGTERM, then SIGKILL if it lingers (it unblocks SIGTERM itself, but
    /// a stuck child must not hang the suite). Polls rather than calling `waitUntilExit`.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<200 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    enum FixtureError: Error, CustomStringConvertible {
        case cannotStart(String)

        var description: String {
            switch self {
            case .cannotStart(let why): "cannot start the WebSocket fixture: \(why)"
            }
        }
    }
}
