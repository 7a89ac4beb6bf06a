import Foundation
import Logging
import Simulator
import TestSupport
import Testing

/// The README's paper-exchange snippets, run as written against a fresh simulator: only the
/// address and the key are filled in.
@Suite struct ReadmePaperSnippetTests {
    /// The fenced block after `<!-- paper-snippet: NAME -->`.
    static func snippet(_ name: String) throws -> String {
        let readme = try String(contentsOf: RepositoryRoot.appending("docs/SIMULATOR.md"), encoding: .utf8)
        let marker = try #require(
            readme.range(of: "<!-- paper-snippet: \(name) -->"), "no \(name) snippet in the README")
        let rest = readme[marker.upperBound...]
        let open = try #require(rest.range(of: "```python\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    @Test(arguments: [("python-binance", "FILLED 0.010 "), ("ccxt", "closed 0.01 ")])
    func theSnippetTradesOnThePaperExchange(_ name: String, _ expected: String) throws {
        let apiKey = SimulatorKeys.randomAlphanumerics(64), secret = SimulatorKeys.randomAlphanumerics(64)
        let exchange = SimulatedExchange(seed: 9, keys: SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))]))
        let simulator = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0),
            logger: Logger(label: "readme-snippet-test"))
        let bound = try simulator.start()
        defer { simulator.shutdown() }
        let code =
            "import sys\nAPI_KEY, SECRET = sys.argv[1], sys.argv[2]\n"
            + (try Self.snippet(name)).replacingOccurrences(of: "127.0.0.1:9000", with: bound.description)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "paper-snippet-\(UUID().uuidString).py")
        try code.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let line = try VenvPython.firstLine([file.path, apiKey, secret], timeout: 90)
        #expect(line.hasPrefix(expected), "\(name) printed: \(line)")
        let balance = Double(line.split(separator: " ").last ?? "") ?? 0
        #expect(balance > 9_999 && balance < 10_000, "the taker fee came off the 10,000 USDT: \(line)")
    }
}
