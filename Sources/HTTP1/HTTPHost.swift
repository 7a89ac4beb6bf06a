/// A `Host` field value read by RFC 9110 §7.2 and RFC 3986 §3.2.2: `uri-host [ ":" port ]`, where
/// the host is a registered name, an IPv4 address or a bracketed IPv6 literal.
///
/// The head parser refuses any other value with 400 (RFC 9112 §3.2), so a name with spaces, a
/// user part (`evil@host`) or a path (`host/../x`) never reaches a handler. Names are kept in
/// lower case, since hosts compare without regard to case.
public struct HTTPHost: Sendable, Hashable {
    /// The host in lower case; an IPv6 literal keeps its brackets (`[::1]`).
    public let name: String
    /// The port, when the value names one.
    public let port: Int?

    public init?(_ value: String) {
        guard let (name, port) = value.withUTF8Bytes(Self.parse) else { return nil }
        self.name = name
        self.port = port
    }

    /// The lower-cased host and the port of `bytes`, or nil when they are not a valid `Host`.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, Int?)? {
        var hostEnd = bytes.count
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                isIPv6Literal(UnsafeBufferPointer(rebasing: bytes[1..<close]))
            else { return nil }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            var index = 0
            while index < hostEnd {
                if bytes[index] == UInt8(ascii: "%") {
                    // pct-encoded: "%" HEXDIG HEXDIG
                    guard index + 2 < hostEnd, ASCII.hexValue(bytes[index + 1]) != nil,
                        ASCII.hexValue(bytes[index + 2]) != nil
                    else { return nil }
                    index += 3
                    continue
                }
                guard isRegisteredNameByte(bytes[index]) else { return nil }
                index += 1
            }
        }
        var port: Int?
        if hostEnd < bytes.count {
            guard bytes[hostEnd] == UInt8(ascii: ":") else { return nil }
            let digits = bytes[(hostEnd + 1)...]
            guard (1...5).contains(digits.count), digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
            let number = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            guard number <= 65_535 else { return nil }
            port = number
        }
        let host = UnsafeBufferPointer(rebasing: bytes[..<hostEnd])
        let name =
            host.contains(where: { $0 >= 65 && $0 <= 90 })
            ? String(decoding: host.map(ASCII.lower), as: UTF8.self) : String(decoding: host, as: UTF8.self)
        return (name, port)
    }

    /// `unreserved / sub-delims` of RFC 3986 (`pct-encoded` is handled by the caller).
    private static func isRegisteredNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=".utf8.contains(byte)
        }
    }

    /// Hex digits, colons and (for an embedded IPv4 tail) dots, with at least two colons.
    /// IPvFuture literals are refused: nothing sends them.
    private static func isIPv6Literal(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        (2...45).contains(bytes.count)
            && bytes.allSatisfy { ASCII.hexValue($0) != nil || $0 == ASCII.colon || $0 == UInt8(ascii: ".") }
            && bytes.filter({ $0 == ASCII.colon }).count >= 2
    }
}
