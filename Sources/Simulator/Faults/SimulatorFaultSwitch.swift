import Synchronization

/// The simulator's current fault settings, read by every connection for every message and
/// replaced at any time (by `POST /admin/faults`). Its state is behind a mutex.
public final class SimulatorFaultSwitch: Sendable {
    private struct State {
        var faults: SimulatorFaults
        var observers: [@Sendable (SimulatorFaults) -> Void] = []
    }

    /// Whether `GET`/`POST /admin/faults` exist on the simulator's server.
    public let adminEnabled: Bool
    private let state: Mutex<State>

    public init(_ faults: SimulatorFaults = SimulatorFaults(), adminEnabled: Bool = false) {
        self.state = Mutex(State(faults: faults))
        self.adminEnabled = adminEnabled
    }

    /// The settings now in force.
    public var current: SimulatorFaults { state.withLock { $0.faults } }

    /// Replaces every setting at once; new messages see the new settings, and the observers
    /// (the exchange's clock offset) are updated before this returns.
    public func replace(with faults: SimulatorFaults) {
        state.withLock { state in
            state.faults = faults
            state.observers.forEach { $0(faults) }
        }
    }

    /// Calls `observer` with the current settings now and with every replacement, in order.
    /// It runs under the switch's lock: it must be quick and must not use the switch.
    func observe(_ observer: @escaping @Sendable (SimulatorFaults) -> Void) {
        state.withLock { state in
            state.observers.append(observer)
            observer(state.faults)
        }
    }
}
