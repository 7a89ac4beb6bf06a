import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// A BIO over a non-blocking socket that sends with `MSG_NOSIGNAL`.
///
/// OpenSSL's own socket BIO uses write(2), which raises SIGPIPE when the peer has gone; a
/// library must not make every program ignore that signal. The descriptor is not owned: the
/// caller closes it after its Dispatch sources are cancelled.
enum SocketBIO {
    /// Immutable once built, and OpenSSL only reads a BIO_METHOD, so sharing it is safe.
    nonisolated(unsafe) private static let method: OpaquePointer = makeMethod()

    /// A new BIO for `fd`, or `nil` if OpenSSL is out of memory.
    static func make(fileDescriptor fd: Int32) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, UnsafeMutableRawPointer(bitPattern: Int(fd) + 1))
        BIO_set_init(bio, 1)
        return bio
    }

    private static func descriptor(_ bio: OpaquePointer) -> Int32 {
        Int32(Int(bitPattern: BIO_get_data(bio)) - 1)
    }

    private static func isRetryable(_ code: Int32) -> Bool {
        code == EAGAIN || code == EWOULDBLOCK || code == EINTR
    }

    private static func makeMethod() -> OpaquePointer {
        guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "gateway socket") else {
            fatalError("OpenSSL BIO_meth_new failed: \(OpenSSLError.drainErrorQueue())")
        }
        BIO_meth_set_create(method) { _ in 1 }
        BIO_meth_set_destroy(method) { _ in 1 }
        BIO_meth_set_write(method) { bio, data, length in
            guard let bio else { return -1 }
            copenssl_bio_clear_retry_flags(bio)
            let sent = send(SocketBIO.descriptor(bio), data, Int(length), Int32(MSG_NOSIGNAL))
            if sent < 0 && SocketBIO.isRetryable(errno) { copenssl_bio_set_retry_write(bio) }
            return Int32(sent)
        }
        BIO_meth_set_read(method) { bio, data, length in
            guard let bio else { return -1 }
            copenssl_bio_clear_retry_flags(bio)
            let received = recv(SocketBIO.descriptor(bio), data, Int(length), 0)
            if received < 0 && SocketBIO.isRetryable(errno) { copenssl_bio_set_retry_read(bio) }
            return Int32(received)
        }
        BIO_meth_set_ctrl(method) { bio, command, _, pointer in
            switch command {
            case BIO_CTRL_FLUSH, BIO_CTRL_DUP: return 1
            case BIO_C_GET_FD:
                guard let bio else { return -1 }
                let fd = SocketBIO.descriptor(bio)
                pointer?.assumingMemoryBound(to: Int32.self).pointee = fd
                return Int(fd)
            default: return 0
            }
        }
        return method
    }
}
