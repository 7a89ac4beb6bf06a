/// Identifies one upstream stream connection (a link) for the life of the hub.
public typealias StreamLinkID = UInt64

/// What the hub's state machine asks its socket side to do.
public enum StreamHubAction: Sendable, Hashable {
    /// Open an upstream connection on `route`; report `linkOpened` or `linkClosed`.
    case connect(StreamLinkID, StreamRoute)
    /// Send one text frame (a control message) on an open link.
    case send(StreamLinkID, [UInt8])
    /// Close a link; its `linkClosed` is then ignored.
    case close(StreamLinkID)
    /// Tell every subscriber of these streams that frames were lost (see `StreamGap`).
    case gap([String], reason: String)
}
