/// The lifecycle of an `HTTPServer` as a pure state machine: each event returns what the
/// server must do, and the server only carries it out. Confined to the server's accept queue.
///
/// idle → listening → draining (the listener closing, connections finishing) → stopped.
/// A shutdown is complete once the listener is really closed and no connection is left, so a
/// completion that exits the process leaves no socket file behind.
struct ServerLifecycle: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case idle
        /// Accepting; `acceptPaused` while out of descriptors for a moment.
        case listening(acceptPaused: Bool)
        /// Shutting down; `listenerOpen` until the listen source's cancel handler has closed it.
        case draining(listenerOpen: Bool)
        /// Shut down: the listener is closed and every connection has ended.
        case stopped
    }

    /// What `shutdown` asks the server to do.
    enum ShutdownAction: Sendable, Equatable {
        /// Resume the listen source if `resumeFirst` (a suspended source never delivers its
        /// cancellation), cancel it, and ask every connection to finish.
        case closeListener(resumeFirst: Bool)
        /// Already shutting down or stopped: only see whether it is complete.
        case checkCompletion
    }

    private(set) var state = State.idle

    /// New connections are taken.
    var isAccepting: Bool {
        if case .listening = state { return true }
        return false
    }

    /// The listener is open.
    mutating func started() {
        precondition(state == .idle, "HTTPServer.start called twice")
        state = .listening(acceptPaused: false)
    }

    /// Accepting failed (out of descriptors): true if the server should suspend its listen source now.
    mutating func pauseAccepting() -> Bool {
        guard state == .listening(acceptPaused: false) else { return false }
        state = .listening(acceptPaused: true)
        return true
    }

    /// The pause is over: true if the server should resume its listen source now.
    mutating func resumeAccepting() -> Bool {
        guard state == .listening(acceptPaused: true) else { return false }
        state = .listening(acceptPaused: false)
        return true
    }

    mutating func shutdown() -> ShutdownAction {
        switch state {
        case .idle:
            state = .draining(listenerOpen: false)
            return .checkCompletion
        case .listening(let paused):
            state = .draining(listenerOpen: true)
            return .closeListener(resumeFirst: paused)
        case .draining, .stopped:
            return .checkCompletion
        }
    }

    /// The listen source's cancel handler has closed the socket.
    mutating func listenerClosed() {
        if case .draining = state { state = .draining(listenerOpen: false) }
    }

    /// True when the shutdown is complete with `openConnections` left, and the waiters may be told.
    mutating func shutdownComplete(openConnections: Int) -> Bool {
        switch state {
        case .draining(listenerOpen: false) where openConnections == 0:
            state = .stopped
            return true
        case .stopped:
            return true
        case .idle, .listening, .draining:
            return false
        }
    }
}
