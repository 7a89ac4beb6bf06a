import COpenSSL

/// The TLS client settings every upstream connection shares: TLS 1.2 or later, the server's
/// certificate verified against the system trust store (plus an optional extra CA), ALPN.
///
/// It owns one `SSL_CTX`, which OpenSSL allows many threads to use once it is configured;
/// nothing changes it after `init`, which is why the class may be `@unchecked Sendable`.
public final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer
    /// The protocols offered in ALPN, most preferred first.
    public let alpnProtocols: [String]

    /// - Parameters:
    ///   - caFile: a PEM file of extra CA certificates to trust besides the system store
    ///     (a test CA, a corporate proxy's CA).
    ///   - alpn: protocols to offer, for example `["h2", "http/1.1"]`; empty offers none.
    public init(caFile: String? = nil, alpn: [String] = []) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .configuration("SSL_CTX_new: \(OpenSSLError.drainErrorQueue())")
        }
        self.context = context
        self.alpnProtocols = alpn
        guard copenssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .configuration("cannot require TLS 1.2: \(OpenSSLError.drainErrorQueue())")
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        // Partial writes and a buffer that may move between retries: the stream writes from
        // a growing Swift array. A missing close_notify reads as end of stream; HTTP and
        // WebSocket frame their own messages, so truncation is visible above TLS.
        _ = copenssl_ctx_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        _ = SSL_CTX_set_options(context, copenssl_op_ignore_unexpected_eof())
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw .configuration("cannot load the system trust store: \(OpenSSLError.drainErrorQueue())")
        }
        if let caFile, SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
            throw .configuration("cannot load CA file \(caFile): \(OpenSSLError.drainErrorQueue())")
        }
        if !alpn.isEmpty {
            var wire: [UInt8] = []
            for name in alpn {
                let bytes = Array(name.utf8)
                guard (1...255).contains(bytes.count) else { throw .configuration("invalid ALPN protocol \"\(name)\"") }
                wire.append(UInt8(bytes.count))
                wire.append(contentsOf: bytes)
            }
            // Returns 0 on success, unlike most of OpenSSL.
            guard SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count)) == 0 else {
                throw .configuration("SSL_CTX_set_alpn_protos: \(OpenSSLError.drainErrorQueue())")
            }
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}
