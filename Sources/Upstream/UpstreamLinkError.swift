/// Why the upstream WebSocket link failed to open or ended, when neither the transport nor the
/// WebSocket codec names the cause itself.
enum UpstreamLinkError: Error, Sendable, Hashable, CustomStringConvertible {
    case handshake(String)
    case closedDuringHandshake
    case closedByPeer(code: UInt16?, reason: String)
    case unresponsive(Duration)

    var description: String {
        switch self {
        case .handshake(let why): "WebSocket handshake failed: \(why)"
        case .closedDuringHandshake: "closed during the WebSocket handshake"
        case .closedByPeer(let code, let reason):
            "upstream closed the WebSocket" + (code.map { " (\($0)\(reason.isEmpty ? "" : ": \(reason)"))" } ?? "")
        case .unresponsive(let silence): "upstream unresponsive for \(silence)"
        }
    }
}
