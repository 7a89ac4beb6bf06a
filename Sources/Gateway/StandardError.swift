import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Whole-line writes to file descriptor 2, serialised so lines never interleave.
public enum StandardError {
    private static let lock = Mutex(())

    public static func write(_ text: String) {
        lock.withLock { _ in
            var text = text
            text.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 { offset += written } else if errno != EINTR { return }
                }
            }
        }
    }
}
