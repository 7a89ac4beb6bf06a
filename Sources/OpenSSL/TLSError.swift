/// Why a TLS connection could not be set up or used, in words a log reader can act on.
///
/// Certificate problems carry OpenSSL's own verification reason (for example
/// "self-signed certificate in certificate chain" or "hostname mismatch"), so an operator can
/// tell a missing CA from a wrong host name without a packet capture.
public enum TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The context or session could not be configured (unreadable CA file, bad ALPN list…).
    case configuration(String)
    /// The server's certificate chain or name did not verify.
    case certificateVerificationFailed(String)
    /// The handshake failed for another reason (protocol version, alert from the server…).
    case handshakeFailed(String)
    /// The peer closed the TCP connection before the handshake finished.
    case closedDuringHandshake
    /// A TLS protocol error after the handshake.
    case protocolError(String)
    /// The socket under TLS failed (`errno`'s text).
    case io(String)

    public var description: String {
        switch self {
        case .configuration(let reason): "TLS configuration failed: \(reason)"
        case .certificateVerificationFailed(let reason): "certificate verify failed: \(reason)"
        case .handshakeFailed(let reason): "TLS handshake failed: \(reason)"
        case .closedDuringHandshake: "TLS handshake failed: the server closed the connection"
        case .protocolError(let reason): "TLS error: \(reason)"
        case .io(let reason): "TLS I/O error: \(reason)"
        }
    }
}
