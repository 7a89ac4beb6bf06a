import Dispatch
import HTTPServer
import Synchronization
import WebSocketServer

/// Puts the current `SimulatorFaults` between the exchange and each simulator connection:
/// it decides, per request, whether to answer, what, when and in which order.
///
/// Per-connection counters and held answers live in a table shared by all loops (a mutex);
/// each entry is used only from its connection's queue.
final class FaultInjector: Sendable {
    private struct ConnectionFaults {
        var requests = 0
        var held: [[UInt8]] = []
    }

    let faults: SimulatorFaultSwitch
    private let connections = Mutex<[Int: ConnectionFaults]>([:])

    init(_ faults: SimulatorFaultSwitch) {
        self.faults = faults
    }

    func open(_ connection: WebSocketServerConnection) {
        connections.withLock { $0[connection.id] = ConnectionFaults() }
    }

    func close(_ connection: WebSocketServerConnection) {
        _ = connections.withLock { $0.removeValue(forKey: connection.id) }
    }

    /// Handles one request frame on its connection's queue; `answer` asks the exchange.
    func handle(_ frame: [UInt8], on connection: WebSocketServerConnection, answer: () -> [UInt8]) {
        let faults = faults.current
        if faults.silent { return }
        var state = connections.withLock { $0[connection.id] } ?? ConnectionFaults()
        if let dropAfter = faults.dropAfter, state.requests >= dropAfter {
            return connection.abort()
        }
        if let dropAfterExecuting = faults.dropAfterExecuting, state.requests >= dropAfterExecuting {
            _ = answer()  // executed by the exchange, never answered
            return connection.abort()
        }
        state.requests += 1
        let request = Self.methodAndID(frame)
        let reply: [UInt8]
        if let error = request.method.flatMap({ faults.errorFor[$0] }) {
            if error.executes { _ = answer() }
            reply = Self.envelope(id: request.id, error: error)
        } else {
            reply = answer()
        }
        var batch: [[UInt8]]
        if let size = faults.reorder, size > 1 {
            state.held.append(reply)
            batch = state.held.count >= size ? state.held.reversed() : []
        } else {
            batch = state.held + [reply]  // reordering was switched off: release what was held
        }
        if !batch.isEmpty { state.held = [] }
        connections.withLock { $0[connection.id] = state }
        guard !batch.isEmpty else { return }
        guard let delay = faults.delay, delay > .zero else {
            return batch.forEach { connection.send(text: $0) }
        }
        let answers = batch
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            connection.queue.async { answers.forEach { connection.send(text: $0) } }
        }
    }

    /// The request's method and its id as JSON text (`null` when absent or not a string or integer).
    static func methodAndID(_ frame: [UInt8]) -> (method: String?, id: String) { RequestEnvelope.methodAndID(frame) }

    /// Binance's error envelope for a chosen error.
    static func envelope(id: String, error: SimulatorFaults.ErrorAnswer) -> [UInt8] {
        Array(
            #"{"id":\#(id),"status":\#(error.status),"error":{"code":\#(error.code),"msg":\#(JSONText.quoted(error.msg))}}"#
                .utf8)
    }
}
