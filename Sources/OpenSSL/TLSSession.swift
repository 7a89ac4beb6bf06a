import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// One TLS client connection (one `SSL`) over a connected, non-blocking socket.
///
/// It exists so the transport can drive TLS from Dispatch sources without touching OpenSSL:
/// every call returns at once, saying what it needs (`wantRead`/`wantWrite`) when the socket
/// is not ready. Not thread-safe: the serial queue that owns the socket owns the session.
/// The session does not own the descriptor; the caller closes it after `shutdown()`.
public final class TLSSession {
    /// How far `handshake()` got: finished, waiting on the socket, or failed for good.
    public enum HandshakeResult: Sendable, Equatable {
        case done, wantRead, wantWrite
        case failed(TLSError)
    }

    /// What `read(into:)` produced: plaintext bytes, a wait on the socket, the end, or a failure.
    public enum ReadResult: Sendable, Equatable {
        case bytes(Int), wantRead, wantWrite
        /// The peer ended the stream (close_notify or a bare TCP close).
        case closed
        case failed(TLSError)
    }

    /// What `write(_:)` did: how many plaintext bytes it took, a wait on the socket, or a failure.
    public enum WriteResult: Sendable, Equatable {
        case written(Int), wantRead, wantWrite
        case failed(TLSError)
    }

    private let context: TLSClientContext  // keeps the SSL_CTX alive as long as the SSL
    private let ssl: OpaquePointer
    /// The name the certificate must match (a DNS name or an IP literal).
    public let serverName: String

    /// Prepares a client handshake on `fileDescriptor`, sending SNI for DNS names and
    /// verifying the certificate against `serverName` (a DNS name or an IP address).
    public init(context: TLSClientContext, fileDescriptor: Int32, serverName: String) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            throw .configuration("SSL_new: \(OpenSSLError.drainErrorQueue())")
        }
        guard let bio = SocketBIO.make(fileDescriptor: fileDescriptor) else {
            SSL_free(ssl)
            throw .configuration("BIO_new: \(OpenSSLError.drainErrorQueue())")
        }
        SSL_set_bio(ssl, bio, bio)
        SSL_set_connect_state(ssl)
        self.context = context
        self.ssl = ssl
        self.serverName = serverName
        if Self.isIPAddress(serverName) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1 else {
                throw .configuration("cannot verify IP address \(serverName): \(OpenSSLError.drainErrorQueue())")
            }
        } else {
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            guard copenssl_set_sni_hostname(ssl, serverName) == 1, SSL_set1_host(ssl, serverName) == 1 else {
                throw .configuration("invalid server name \"\(serverName)\": \(OpenSSLError.drainErrorQueue())")
            }
        }
    }

    deinit {
        SSL_free(ssl)
    }

    /// Advances the handshake as far as the socket allows.
    public func handshake() -> HandshakeResult {
        ERR_clear_error()
        let status = SSL_do_handshake(ssl)
        if status == 1 { return .done }
        let savedErrno = errno
        switch SSL_get_error(ssl, status) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_SYSCALL:
            let queued = OpenSSLError.drainErrorQueue()
            if !queued.isEmpty { return .failed(.handshakeFailed(queued)) }
            if savedErrno == 0 { return .failed(.closedDuringHandshake) }
            return .failed(.io(Self.text(errno: savedErrno)))
        case SSL_ERROR_ZERO_RETURN:
            return .failed(.closedDuringHandshake)
        default:
            let verify = SSL_get_verify_result(ssl)
            let queued = OpenSSLError.drainErrorQueue()
            if verify != X509_V_OK {
                return .failed(.certificateVerificationFailed(String(cString: X509_verify_cert_error_string(verify))))
            }
            return .failed(.handshakeFailed(queued.isEmpty ? "unknown error" : queued))
        }
    }

    /// Decrypts into `buffer`. Call again until `wantRead`: OpenSSL may hold decrypted
    /// bytes that the socket will not signal.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let status = SSL_read_ex(ssl, base, buffer.count, &count)
        if status == 1 { return .bytes(count) }
        let savedErrno = errno
        switch SSL_get_error(ssl, status) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case let code: return .failed(failure(code, errno: savedErrno))
        }
    }

    /// Encrypts and sends a prefix of `bytes`. After `wantRead`/`wantWrite`, retry with the
    /// same bytes (more may follow them; the buffer may move).
    public func write(_ bytes: UnsafeRawBufferPointer) -> WriteResult {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return .written(0) }
        ERR_clear_error()
        var count = 0
        let status = SSL_write_ex(ssl, base, bytes.count, &count)
        if status == 1 { return .written(count) }
        let savedErrno = errno
        switch SSL_get_error(ssl, status) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case let code: return .failed(failure(code, errno: savedErrno))
        }
    }

    /// Sends close_notify if the socket takes it now; never waits for the peer's.
    public func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// The protocol the server chose from the context's ALPN list, if any.
    public var negotiatedALPN: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    private func failure(_ code: Int32, errno savedErrno: Int32) -> TLSError {
        let queued = OpenSSLError.drainErrorQueue()
        if code == SSL_ERROR_SYSCALL && queued.isEmpty {
            return .io(savedErrno == 0 ? "unexpected end of stream" : Self.text(errno: savedErrno))
        }
        return .protocolError(queued.isEmpty ? "SSL error \(code)" : queued)
    }

    private static func text(errno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// True for IPv4 and IPv6 literals, which get IP verification and no SNI (RFC 6066 §3).
    static func isIPAddress(_ name: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET, name, &storage) == 1 || inet_pton(AF_INET6, name, &storage) == 1
    }
}
