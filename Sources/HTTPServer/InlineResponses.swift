#if canImport(Glibc)
import Glibc
#endif

/// Lets a response made off its connection's loop be written at once, on the calling thread,
/// instead of through `async` on the loop's queue: when the loop is idle, `queue.sync` runs it
/// right there. That saves a thread wake-up per proxied call (tens of microseconds on a small
/// virtual machine). A busy loop still gets the response through `async`, so a caller never
/// waits behind a batch of requests.
///
/// Only a caller that holds no lock and runs on no queue that an event loop could wait for may
/// allow it: the gateway does, for answers delivered on the upstream multiplexer's queue.
public enum InlineResponses {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Runs `body` with inline responses allowed on this thread.
    public static func allowed<T>(_ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(key, previous) }
        return try body()
    }

    static var areAllowed: Bool { pthread_getspecific(key) != nil }
}
