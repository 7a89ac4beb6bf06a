/// The parsed head of a request: request line and header fields, already checked.
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: HTTPMethod
    /// The request-target as received, query included.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection may carry another request after this one.
    public var keepAlive: Bool

    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:], keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
    }

    /// The path part of the target (before `?`).
    public var path: Substring {
        guard let mark = queryMark else { return target[...] }
        return target[..<mark]
    }

    /// The query part of the target (after `?`), or `nil` when there is none.
    public var query: Substring? {
        guard let mark = queryMark else { return nil }
        return target[target.utf8.index(after: mark)...]
    }

    /// Where `?` is: found among the bytes, since a target is ASCII (the parser checked it) and
    /// walking it by `Character` costs a grapheme break test per byte.
    private var queryMark: String.Index? {
        guard let offset = target.withUTF8Bytes({ $0.firstIndex(of: UInt8(ascii: "?")) }) else { return nil }
        return target.utf8.index(target.utf8.startIndex, offsetBy: offset)
    }
}

/// A complete request: head and decoded body.
public struct HTTPRequest: Sendable, Hashable {
    public var head: HTTPRequestHead
    public var body: [UInt8]

    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    public var method: HTTPMethod { head.method }
    public var path: Substring { head.path }
    public var query: Substring? { head.query }
    public var headers: HTTPHeaders { head.headers }
}
