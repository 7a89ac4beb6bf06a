/// Which upstream connection of a client takes requests, and whether another is being opened:
/// one state instead of an `active` generation beside `connecting` and `stopped` flags.
///
/// Connections are numbered by generation, from 0, so a late event of an old connection is
/// told from the current one's. A pure value, owned by its client's queue; the client keeps
/// the connections themselves and executes what a transition returns.
public struct ConnectionLifecycle: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        /// No connection takes requests and none is being opened.
        case disconnected
        /// Connection `generation` is being opened; `serving` still takes requests meanwhile
        /// (a make-before-break replacement), or is nil.
        case connecting(generation: Int, serving: Int?)
        /// Connection `generation` takes requests; none is being opened.
        case connected(generation: Int)
        /// Shut down: nothing is opened again.
        case stopped
    }

    /// What the owner does with a connection whose attempt succeeded.
    public enum Opened: Sendable, Hashable {
        /// It takes requests now; `replaced` (if any) takes no new ones and should drain.
        case active(replaced: Int?)
        /// The client stopped meanwhile, or the attempt is not the current one: close it.
        case unwanted
    }

    public private(set) var state: State = .disconnected
    private var nextGeneration = 0

    public init() {}

    /// The connection taking requests, if any.
    public var active: Int? {
        switch state {
        case .connected(let generation): generation
        case .connecting(_, let serving): serving
        case .disconnected, .stopped: nil
        }
    }

    public var isConnecting: Bool {
        if case .connecting = state { true } else { false }
    }

    public var isStopped: Bool { state == .stopped }

    /// Starts an attempt and returns its generation, unless one is under way or the client stopped.
    public mutating func beginConnect() -> Int? {
        switch state {
        case .connecting, .stopped:
            return nil
        case .disconnected, .connected:
            let generation = nextGeneration
            nextGeneration += 1
            state = .connecting(generation: generation, serving: active)
            return generation
        }
    }

    /// Attempt `generation` produced a connection.
    public mutating func opened(_ generation: Int) -> Opened {
        guard case .connecting(generation, let serving) = state else { return .unwanted }
        state = .connected(generation: generation)
        return .active(replaced: serving)
    }

    /// Attempt `generation` failed; whatever served before keeps serving.
    public mutating func failed(_ generation: Int) {
        guard case .connecting(generation, let serving) = state else { return }
        state = serving.map { .connected(generation: $0) } ?? .disconnected
    }

    /// Connection `generation` is gone, or takes no new requests (GOAWAY, retired). Returns
    /// true if it was the one taking requests.
    @discardableResult
    public mutating func lost(_ generation: Int) -> Bool {
        switch state {
        case .connected(generation):
            state = .disconnected
            return true
        case .connecting(let next, generation):
            state = .connecting(generation: next, serving: nil)
            return true
        default:
            return false
        }
    }

    /// Nothing is opened again, and no connection takes requests.
    public mutating func stop() { state = .stopped }
}
