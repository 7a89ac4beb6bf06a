import COpenSSL

/// A failure reported by OpenSSL, with the library's own description of it.
public struct OpenSSLError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let reason: String

    public init(_ operation: String, reason: String? = nil) {
        self.operation = operation
        self.reason = reason ?? Self.drainErrorQueue()
    }

    public var description: String { reason.isEmpty ? operation : "\(operation): \(reason)" }

    /// Empties OpenSSL's thread-local error queue into one line.
    static func drainErrorQueue() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.joined(separator: "; ")
    }
}
