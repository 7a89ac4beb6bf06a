import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file that holds a secret (a private key, an auth token), refusing one that other
/// users of the machine could read: a leaked key is not fixed by a restart, so a loose
/// mode is an error at startup rather than a warning in a log nobody reads.
public enum SecretFile {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(what: String, path: String, reason: String)
        case accessibleByOthers(what: String, path: String, mode: UInt32)

        public var description: String {
            switch self {
            case .unreadable(let what, let path, let reason):
                "cannot use the \(what) \(path): \(reason)"
            case .accessibleByOthers(let what, let path, let mode):
                "refusing the \(what) \(path): it is readable or writable by group or others (mode "
                    + octal(mode) + "); restrict it with `chmod 600 \(path)`"
            }
        }
    }

    /// The file's text, once its permissions show that only its owner can read it.
    /// `what` names the file in messages ("private key file", "auth token file").
    public static func read(_ path: String, what: String) throws(Failure) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadable(what: what, path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .unreadable(what: what, path: path, reason: "not a regular file")
        }
        let mode = UInt32(info.st_mode) & 0o7777
        guard mode & 0o077 == 0 else { throw .accessibleByOthers(what: what, path: path, mode: mode) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .unreadable(what: what, path: path, reason: "cannot read it as UTF-8 text")
        }
        return text
    }
}

/// `mode` as four octal digits, as `ls` and `chmod` write it.
private func octal(_ mode: UInt32) -> String {
    let digits = String(mode, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
