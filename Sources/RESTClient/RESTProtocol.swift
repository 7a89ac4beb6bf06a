/// Which HTTP version the REST client speaks upstream (`--rest-protocol`).
///
/// - `auto`: HTTP/2 when the server agrees (ALPN "h2" over TLS, a SETTINGS answer to the
///   h2c preface over plain TCP), else HTTP/1.1.
/// - `h2`: HTTP/2 only; a server that does not agree is a connection error.
/// - `http1`: HTTP/1.1 only, one keep-alive connection.
public enum RESTProtocol: String, Sendable, CaseIterable {
    case auto, h2, http1

    /// The ALPN list a TLS context for this mode should offer, most preferred first.
    public var alpnOffer: [String] {
        self == .http1 ? [Self.http1ALPN] : [Self.h2ALPN, Self.http1ALPN]
    }

    /// The ALPN identifiers, which are also the names `RESTClientStatus` reports.
    public static let h2ALPN = "h2"
    public static let http1ALPN = "http/1.1"
}
