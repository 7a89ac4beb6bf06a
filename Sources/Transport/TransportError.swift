import EventLoops
import OpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// Why a client stream could not connect or stopped, said plainly enough to log as is.
///
/// One enum for every phase (URL, DNS, TCP, TLS, I/O) so the upstream clients can map each
/// case to a retry decision and to one error body in a single place.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case resolveFailed(host: String, reason: String)
    case connectionRefused(host: String, port: UInt16)
    case connectFailed(host: String, port: UInt16, reason: String)
    /// Connecting did not finish in time; `phase` says where it stood ("DNS lookup",
    /// "TCP connect" or "TLS handshake").
    case timedOut(host: String, port: UInt16, phase: String)
    case tlsHandshakeFailed(host: String, TLSError)
    /// TLS failed after the handshake.
    case tls(TLSError)
    /// The peer ended the stream.
    case closedByPeer
    case connectionReset
    case io(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): "invalid URL \"\(url)\": \(reason)"
        case .resolveFailed(let host, let reason): "cannot resolve \(host): \(reason)"
        case .connectionRefused(let host, let port): "connection refused by \(Self.authority(host, port))"
        case .connectFailed(let host, let port, let reason):
            "cannot connect to \(Self.authority(host, port)): \(reason)"
        case .timedOut(let host, let port, let phase):
            "connecting to \(Self.authority(host, port)) timed out during the \(phase)"
        case .tlsHandshakeFailed(let host, let error): "TLS with \(host) failed: \(error)"
        case .tls(let error): "\(error)"
        case .closedByPeer: "connection closed by peer"
        case .connectionReset: "connection reset by peer"
        case .io(let operation, let code): "\(operation): \(String(cString: strerror(code)))"
        }
    }

    static func authority(_ host: String, _ port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension SocketError {
    /// The same failure as a client stream reports it.
    var transportError: TransportError {
        switch errno {
        case ECONNRESET, EPIPE: .connectionReset
        default: .io(operation: call, errno: errno)
        }
    }
}
