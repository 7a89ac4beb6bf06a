/// Which end of a connection a codec serves; it decides who masks (RFC 6455 §5.1).
///
/// A client masks every frame it sends and refuses masked frames; a server does the opposite.
public enum WebSocketRole: Sendable, Hashable {
    case client
    case server
}
