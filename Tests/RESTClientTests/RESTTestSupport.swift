import Foundation
import HTTP1
import HTTPServer
import Logging
import RESTClient
import RequestWindow
import Simulator
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

let quietLogger = Logger(label: "rest-test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Collects the completions of many requests, by index, from the client's queue.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<RESTResponse, UpstreamFailure>] = [:]
    private var calls = 0

    func completion(_ index: Int) -> RESTClient.Completion {
        { [self] result in
            lock.withLock {
                results[index] = result
                calls += 1
            }
        }
    }

    subscript(index: Int) -> Result<RESTResponse, UpstreamFailure>? { lock.withLock { results[index] } }
    /// Completions received, duplicates included (each request must get exactly one).
    var count: Int { lock.withLock { calls } }

    func body(_ index: Int) -> String? {
        guard case .success(let response)? = self[index] else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }

    func failure(_ index: Int) -> UpstreamFailure? {
        guard case .failure(let failure)? = self[index] else { return nil }
        return failure
    }
}

func restRequest(
    _ target: String, method: HTTPMethod = .GET, effect: RequestEffect = .readOnly,
    body: String = ""
) -> RESTRequest {
    RESTRequest(method: method, effect: effect) { (target, [], Array(body.utf8)) }
}

/// Sends one request and waits for its outcome.
func call(
    _ client: RESTClient, _ request: RESTRequest, timeout: Duration = .seconds(10)
)
    -> Result<RESTResponse, UpstreamFailure>?
{
    let outcomes = Outcomes()
    client.send(request, completion: outcomes.completion(0))
    _ = eventually(timeout) { outcomes.count == 1 }
    return outcomes[0]
}

func shutdownAndWait(_ client: RESTClient) {
    let done = DispatchSemaphore(value: 0)
    client.shutdown { done.signal() }
    _ = done.wait(timeout: .now() + 5)
}

/// The exchange simulator (REST at /fapi/..., HTTP/1.1 and h2c on one port) on a loopback port.
final class RunningSimulator: @unchecked Sendable {
    let server: SimulatorServer
    let baseURL: String

    init() throws {
        server = SimulatorServer(
            exchange: SimulatedExchange(seed: 1), address: .tcp(host: "127.0.0.1", port: 0),
            logger: quietLogger)
        baseURL = "http://\(try server.start().description)"
    }

    func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown { done.signal() }
        _ = done.wait(timeout: .now() + 5)
    }
}
