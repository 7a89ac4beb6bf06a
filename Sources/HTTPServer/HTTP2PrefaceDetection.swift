/// Whether an HTTP/1 connection's first bytes may still be the HTTP/2 prior-knowledge preface
/// (RFC 9113 §3.3). A pure value, confined to the connection's loop.
///
/// The check runs on the bytes read before the first request is decoded, and once they differ
/// from the preface the connection speaks HTTP/1 for good: later bytes are never compared (a
/// request's middle that happens to start like the preface is not one).
enum HTTP2PrefaceDetection: Sendable, Equatable {
    /// Every byte read so far is a prefix of the preface.
    case undecided
    /// The connection speaks HTTP/1 (h2c is off, or its first bytes are not the preface).
    case http1

    /// What the bytes read so far say.
    enum Verdict: Sendable, Equatable {
        case http1
        /// A prefix of the preface: wait for more.
        case undecided
        /// The whole preface: hand the connection to the HTTP/2 side.
        case http2
    }

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    init(enabled: Bool) {
        self = enabled ? .undecided : .http1
    }

    /// Looks at `input`, every byte the connection has read, if `atStart` (nothing decoded or
    /// consumed yet); anything else rules the preface out.
    mutating func examine(_ input: [UInt8], atStart: Bool) -> Verdict {
        guard self == .undecided, atStart else {
            self = .http1
            return .http1
        }
        let count = min(input.count, Self.preface.count)
        guard input[..<count].elementsEqual(Self.preface[..<count]) else {
            self = .http1
            return .http1
        }
        return count < Self.preface.count ? .undecided : .http2
    }
}
