import Dispatch
import EventLoops
import Foundation
import Logging
import RequestWindow
import Synchronization
import TestSupport
import Upstream

#if canImport(Glibc)
import Glibc
#endif

// Helpers for the interop suites that drive the real client against the Python fixture.
// Names carry an `interop`/`Interop` prefix: other suites in this target define their own.

/// Starts the fixture with SIGTERM and SIGINT unblocked in the launching thread.
///
/// A child inherits the signal mask of the thread that spawns it, and Foundation's `Process`
/// does not reset it. Tests run on Dispatch worker threads, which block most signals, so a
/// fixture launched there ignores `terminate()` and `WebSocketFixture.stop()` waits forever.
func interopFixture(_ arguments: [String] = []) throws -> WebSocketFixture {
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGTERM)
    sigaddset(&signals, SIGINT)
    var previous = sigset_t()
    pthread_sigmask(SIG_UNBLOCK, &signals, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try WebSocketFixture(arguments)
}

let interopLogger: Logger = {
    var logger = Logger(label: "interop-tests")
    logger.logLevel = .warning
    return logger
}()

/// A started multiplexer over `connector`, with a short deadline so no test can hang.
func interopMultiplexer(
    _ connector: WebSocketConnector,
    _ configuration: UpstreamConfiguration = UpstreamConfiguration(
        requestTimeout: .seconds(3), reconnectInitialDelay: .milliseconds(50))
) -> UpstreamMultiplexer {
    let multiplexer = UpstreamMultiplexer(configuration: configuration, connector: connector, logger: interopLogger)
    multiplexer.start()
    return multiplexer
}

/// `{"id":<id>,"method":<method>,"params":<params>}`, as the gateway would send it.
func interopRequest(
    _ method: String = "depth", params: String = #"{"symbol":"BTCUSDT"}"#,
    effect: RequestEffect = .readOnly
) -> UpstreamRequest {
    UpstreamRequest(method: method, effect: effect) { id in
        Array(#"{"id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8)
    }
}

/// Outcomes of submitted requests, keyed by the test's own index; traps on a second outcome.
final class InteropOutcomes: Sendable {
    private let state = Mutex<[Int: Result<UpstreamReply, UpstreamFailure>]>([:])

    func completion(_ key: Int) -> UpstreamMultiplexer.Completion {
        { [self] result in
            state.withLock { outcomes in
                precondition(outcomes[key] == nil, "request \(key) answered twice")
                outcomes[key] = result
            }
        }
    }

    var count: Int { state.withLock { $0.count } }
    subscript(key: Int) -> Result<UpstreamReply, UpstreamFailure>? { state.withLock { $0[key] } }
}

extension UpstreamMultiplexer {
    /// Submits `request` and waits for its one outcome (nil if none came within `timeout`).
    func interopCall(
        _ request: UpstreamRequest, timeout: Duration = .seconds(5)
    ) -> Result<UpstreamReply, UpstreamFailure>? {
        let outcomes = InteropOutcomes()
        submit(request, completion: outcomes.completion(0))
        _ = eventually(timeout) { outcomes.count == 1 }
        return outcomes[0]
    }

    /// The status snapshot, fetched from the multiplexer's queue.
    var interopStatus: UpstreamStatus? {
        let box = Mutex<UpstreamStatus?>(nil)
        status { status in box.withLock { $0 = status } }
        _ = eventually(.seconds(2)) { box.withLock { $0 != nil } }
        return box.withLock { $0 }
    }

    /// What the fixture has seen (`fixture.stats`), or nil when it did not answer.
    func interopFixtureStats() -> [String: Any]? {
        guard case .success(let reply)? = interopCall(interopRequest("fixture.stats", params: "{}")) else { return nil }
        return interopObject(reply.body)
    }
}

/// `bytes` as a JSON object, or nil.
func interopObject(_ bytes: ArraySlice<UInt8>) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
}

/// One link opened with `WebSocketConnector.connect` directly, so a test sees the
/// link-level results: the connect error, the frames, the close reason.
final class InteropLinkProbe: Sendable {
    /// A link's socket lives on an event loop, and its callbacks run on that loop's queue.
    let queue = EventLoopGroup.shared.loops[0].queue
    private let state = Mutex<(result: Result<any UpstreamLink, any Error>?, frames: [[UInt8]], closes: [String])>(
        (nil, [], []))

    init(_ connector: WebSocketConnector) {
        connector.connect(
            queue: queue,
            onFrame: { [self] frame in state.withLock { $0.frames.append(frame) } },
            onClose: { [self] error in state.withLock { $0.closes.append(error.map { "\($0)" } ?? "nil") } },
            completion: { [self] result in state.withLock { $0.result = result } })
    }

    /// The connect outcome, waiting up to `timeout` for it.
    func connected(within timeout: Duration = .seconds(5)) -> Result<any UpstreamLink, any Error>? {
        _ = eventually(timeout) { state.withLock { $0.result != nil } }
        return state.withLock { $0.result }
    }

    var frames: [[UInt8]] { state.withLock { $0.frames } }
    /// Each `onClose` call, its error described ("nil" for none).
    var closes: [String] { state.withLock { $0.closes } }

    func send(_ text: String) {
        guard case .success(let link)? = state.withLock({ $0.result }) else { return }
        queue.async { link.send(Array(text.utf8)) }
    }

    func close() {
        guard case .success(let link)? = state.withLock({ $0.result }) else { return }
        queue.async { link.close() }
    }
}
