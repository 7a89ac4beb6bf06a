import Dispatch

/// The one deadline an `HTTPConnection` has running, and when it is due. A pure value.
///
/// Which deadline runs follows from the connection's state (`next`): a client that takes no
/// bytes has the write timeout, one between requests the idle timeout, one in the middle of a
/// request the request read timeout, and none runs while the handler works (its own deadline
/// applies). Under memory pressure a stalled write or a slow request is cut off sooner.
struct HTTPConnectionDeadline: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case idle, requestRead, stalledWrite, linger }

    let at: DispatchTime
    let kind: Kind

    /// The deadline of a serving or finishing connection.
    /// - Parameters:
    ///   - outputPending: the socket refused some of the output.
    ///   - answersOwed: requests are with the handler or wait their turn.
    ///   - isBetweenRequests: evaluated only when neither of those decides.
    ///   - requestStartedAt: when the first byte of the request being read came, if known.
    @inline(__always)
    static func next(
        outputPending: Bool, answersOwed: Bool, isBetweenRequests: @autoclosure () -> Bool,
        lastWriteProgress: DispatchTime,
        idleSince: DispatchTime, requestStartedAt: DispatchTime?, configuration: ServerConfiguration
    ) -> HTTPConnectionDeadline? {
        if outputPending {
            return HTTPConnectionDeadline(
                at: lastWriteProgress + configuration.writeTimeout.dispatch, kind: .stalledWrite)
        } else if answersOwed {
            return nil
        } else if isBetweenRequests() {
            return HTTPConnectionDeadline(at: idleSince + configuration.idleTimeout.dispatch, kind: .idle)
        } else {
            return HTTPConnectionDeadline(
                at: (requestStartedAt ?? .now()) + configuration.requestReadTimeout.dispatch, kind: .requestRead)
        }
    }

    /// Whether it is due at `now`. With `pressureTimeout` (memory is short), a stalled write or a
    /// request being read is also due that long after its last progress or its start, so that a
    /// client that behaves gets in.
    func isDue(
        now: DispatchTime, pressureTimeout: DispatchTimeInterval?, lastWriteProgress: DispatchTime,
        requestStartedAt: DispatchTime?
    ) -> Bool {
        if now >= at { return true }
        guard let pressureTimeout else { return false }
        switch kind {
        case .stalledWrite: return now >= lastWriteProgress + pressureTimeout
        case .requestRead: return now >= (requestStartedAt ?? now) + pressureTimeout
        case .idle, .linger: return false
        }
    }
}
