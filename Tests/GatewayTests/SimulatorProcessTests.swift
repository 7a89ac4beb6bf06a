import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `futures-gateway simulator` as a real process: its connection flags reach the WebSocket
/// server (a connection older than `--max-connection-age` is closed with 1001), and bad values
/// are refused before it starts.
@Suite("simulator process")
struct SimulatorProcessTests {
    /// Connects with the `websockets` package and prints the close code and seconds until it came.
    private static let client = """
        import asyncio, sys, time, websockets
        async def main():
            async with websockets.connect(sys.argv[1]) as ws:
                start = time.monotonic()
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except websockets.ConnectionClosed as closed:
                    print(closed.rcvd.code if closed.rcvd else -1, round(time.monotonic() - start, 2), flush=True)
        asyncio.run(main())
        """

    @Test func maxConnectionAgeClosesTheConnectionWith1001() throws {
        let simulator = try GatewayProcess(["simulator", "--listen", "127.0.0.1:0", "--max-connection-age", "1"])
        let line = try #require(
            simulator.waitForLine { $0.hasPrefix("simulator listening on ") },
            "no startup line; stderr: \(simulator.standardError)")
        let url = String(line.dropFirst("simulator listening on ".count))

        let client = try ChildProcess.run(
            URL(fileURLWithPath: RepositoryRoot.python), ["-c", Self.client, url],
            timeout: .seconds(15))
        #expect(!client.timedOut, "the client never saw a close")
        let text = client.standardOutput
        let fields = text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.first == "1001", "close code; client printed: \(text)")
        let seconds = fields.count > 1 ? Double(fields[1]) ?? 0 : 0
        #expect(seconds > 0.5 && seconds < 5, "closed after \(seconds) s")

        simulator.send(SIGTERM)
        #expect(simulator.waitForExit() == 0)
    }

    /// The standalone simulator with a test key from `--hmac-key` serves python-binance's signed
    /// calls, and refuses a wrong secret.
    @Test func hmacKeyFlagAcceptsPythonBinancesSignedCalls() throws {
        let simulator = try GatewayProcess(["simulator", "--listen", "127.0.0.1:0", "--hmac-key", "flagkey:flagsecret"])
        let line = try #require(
            simulator.waitForLine { $0.hasPrefix("simulator listening on ") },
            "no startup line; stderr: \(simulator.standardError)")
        let url = String(line.dropFirst("simulator listening on ".count))
        let script = RepositoryRoot.appending("Tests/Interop/python_binance_session.py").path
        let client = try ChildProcess.run(
            URL(fileURLWithPath: RepositoryRoot.python), [script, url, "flagkey", "flagsecret"],
            timeout: .seconds(60))
        #expect(!client.timedOut, "python-binance did not finish")
        let text = client.standardOutput
        let answers = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect((answers?["place"] as? [String: Any])?["status"] as? String == "NEW", "\(text.prefix(300))")
        #expect((answers?["wrong_secret"] as? [String: Any])?["code"] as? Int == -1022)
        #expect(!simulator.standardError.contains("flagsecret"), "the secret never reaches a log")
        simulator.send(SIGTERM)
        #expect(simulator.waitForExit() == 0)
    }

    @Test(arguments: [
        ["--ping-interval", "0"], ["--pong-timeout", "-1"], ["--max-connection-age", "nan"],
        ["--hmac-key", "no-secret"],
    ])
    func nonPositiveConnectionSettingsAreRefused(_ flag: [String]) throws {
        let simulator = try GatewayProcess(["simulator", "--listen", "127.0.0.1:0"] + flag)
        let status = simulator.waitForExit()
        #expect(status != nil && status != 0, "\(flag) was accepted")
        #expect(simulator.standardError.contains(flag[0]), "\(simulator.standardError)")
    }
}
