import EventLoops
import OpenSSL

/// Opening a `ClientStream`: TCP, then TLS when asked, on the loop that will own it.
extension ClientStream {
    /// Resolves `host`, connects (TCP_NODELAY), and for `tls` performs the handshake, all
    /// within `timeout`. `serverName` (default `host`) is the name sent in SNI and checked
    /// against the certificate. `completion` runs on `queue`, once.
    public static func connect(
        host: String, port: UInt16, tls: TLSClientContext?, serverName: String? = nil,
        loop: EventLoop, timeout: Duration,
        completion: @escaping @Sendable (Result<ClientStream, TransportError>) -> Void
    ) {
        StreamConnector(
            host: host, port: port, serverName: serverName, tls: tls, loop: loop,
            timeout: timeout, completion: completion
        ).start()
    }

    /// Connects to `endpoint`, with TLS for `wss`/`https`: `tls`, or the system trust store
    /// when `tls` is `nil`. For plain endpoints `tls` is ignored.
    public static func connect(
        to endpoint: Endpoint, tls: TLSClientContext? = nil, serverName: String? = nil,
        loop: EventLoop, timeout: Duration,
        completion: @escaping @Sendable (Result<ClientStream, TransportError>) -> Void
    ) {
        var context: TLSClientContext?
        if endpoint.isSecure {
            do throws(TLSError) {
                context = if let tls { tls } else { try TLSClientContext() }
            } catch {
                return loop.queue.async { completion(.failure(.tlsHandshakeFailed(host: endpoint.host, error))) }
            }
        }
        connect(
            host: endpoint.host, port: endpoint.port, tls: context, serverName: serverName, loop: loop,
            timeout: timeout, completion: completion)
    }
}
