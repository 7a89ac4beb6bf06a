import Foundation
import Logging
import Simulator
import TestSupport

/// What a third-party client script (`Tests/Interop/ccxt_binanceusdm.py`,
/// `python_binance_futures.py`) reports after driving a fresh simulator's REST API: each call's
/// outcome ("ok" or the client's exception) and the figures it read back.
struct PythonClientReport {
    let calls: [String: String]
    let checks: [String: Any]

    var failedCalls: [String: String] { calls.filter { $0.value != "ok" } }

    /// Runs `script` against a new simulator and reads its report.
    static func run(_ script: String, timeout: TimeInterval = 120) throws -> PythonClientReport {
        let object = try output(script, timeout: timeout)
        guard let calls = object["calls"] as? [String: String], let checks = object["checks"] as? [String: Any]
        else { throw ReportError.unreadable("\(object)") }
        return PythonClientReport(calls: calls, checks: checks)
    }

    /// Runs `script` (`HTTP_BASE API_KEY SECRET`, then `arguments`) against a new simulator (seed 7,
    /// one random HMAC key, markets stepping every `marketStepInterval` if set) and reads the JSON
    /// object it prints.
    static func output(
        _ script: String, arguments: [String] = [], marketStepInterval: Duration? = nil, timeout: TimeInterval = 120
    ) throws -> [String: Any] {
        let apiKey = SimulatorKeys.randomAlphanumerics(64)
        let secret = SimulatorKeys.randomAlphanumerics(64)
        let exchange = SimulatedExchange(seed: 7, keys: SimulatorKeys([apiKey: .hmac(secret: Array(secret.utf8))]))
        let simulator = SimulatorServer(
            exchange: exchange, address: .tcp(host: "127.0.0.1", port: 0), marketStepInterval: marketStepInterval,
            logger: Logger(label: "python-client-test"))
        let bound = try simulator.start()
        defer { simulator.shutdown() }
        let path = RepositoryRoot.appending("Tests/Interop/\(script)").path
        let output = try VenvPython.firstLine(
            [path, "http://\(bound.description)", apiKey, secret] + arguments, timeout: timeout)
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw ReportError.unreadable(output)
        }
        return object
    }

    enum ReportError: Error { case unreadable(String) }
}
