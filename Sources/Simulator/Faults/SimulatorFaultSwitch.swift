import Synchronization

/// The simulator's current fault settings, read by every connection for every message and
/// replaced at any time (by `POST /admin/faults`). Its one piece of state is behind a mutex.
public final class SimulatorFaultSwitch: Sendable {
    /// Whether `GET`/`POST /admin/faults` exist on the simulator's server.
    public let adminEnabled: Bool
    private let faults: Mutex<SimulatorFaults>

    public init(_ faults: SimulatorFaults = SimulatorFaults(), adminEnabled: Bool = false) {
        self.faults = Mutex(faults)
        self.adminEnabled = adminEnabled
    }

    /// The settings now in force.
    public var current: SimulatorFaults { faults.withLock { $0 } }

    /// Replaces every setting at once; new messages see the new settings.
    public func replace(with faults: SimulatorFaults) {
        self.faults.withLock { $0 = faults }
    }
}
