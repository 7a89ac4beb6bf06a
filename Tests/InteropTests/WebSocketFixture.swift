import Foundation
import TestSupport

/// The Python `websockets` fixture server (Tests/Interop/ws_fixture.py) as a child process.
///
/// The interpreter is `INTEROP_PYTHON` (scripts/test points it at the project venv), else
/// `.venv/bin/python` at the repository root; the fixture fails loudly if `websockets` is missing.
final class WebSocketFixture: @unchecked Sendable {
    let port: UInt16
    private let process: ChildProcess

    /// Starts the fixture with `arguments` (see the script's flags) and waits for its port.
    init(_ arguments: [String] = []) throws {
        do {
            process = try ChildProcess(
                URL(fileURLWithPath: RepositoryRoot.python),
                [RepositoryRoot.appending("Tests/Interop/ws_fixture.py").path] + arguments,
                capturing: .standardOutput)
        } catch {
            throw FixtureError.cannotStart(
                "\(RepositoryRoot.python): \(error) (run scripts/test, which creates the venv)")
        }
        let text = process.waitForLine(within: .seconds(15)) { _ in true } ?? process.text
        guard text.hasPrefix("listening "), let port = UInt16(text.dropFirst("listening ".count)) else {
            process.send(SIGTERM)
            throw FixtureError.cannotStart("fixture said \"\(text)\"")
        }
        self.port = port
    }

    var url: String { "ws://127.0.0.1:\(port)/ws-fapi/v1" }

    /// Ends the fixture: SIGTERM, then SIGKILL if it lingers (it unblocks SIGTERM itself, but
    /// a stuck child must not hang the suite). Polls rather than calling `waitUntilExit`.
    func stop() {
        guard process.isRunning else { return }
        process.send(SIGTERM)
        if process.waitForExit(within: .seconds(2)) == nil { process.send(SIGKILL) }
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
