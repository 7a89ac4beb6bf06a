import HTTP1

/// The request of one stream as its HEADERS and DATA frames arrive; becomes an `HTTPRequest`
/// at END_STREAM. Pseudo-header order and presence are already checked by nghttp2.
struct HTTP2RequestBuilder {
    private var method: String?
    private var path: String?
    private var authority: String?
    private var headers = HTTPHeaders()
    private var headBytes = 0
    private(set) var body: [UInt8] = []
    /// Answered already (413): later DATA is dropped.
    var answered = false

    /// Adds one field; false when the head outgrows `limits` (the stream is then reset).
    mutating func add(name: String, value: String, limits: HTTPLimits) -> Bool {
        headBytes += name.utf8.count + value.utf8.count + 4
        guard headBytes <= limits.maxHeadSize, headers.count < limits.maxHeaderCount else { return false }
        switch name {
        case ":method": method = value
        case ":path": path = value
        case ":authority": authority = value
        case ":scheme", ":protocol": break
        default: headers.add(name, value)
        }
        return path.map { $0.utf8.count <= limits.maxURILength } ?? true
    }

    /// Adds body bytes; false when the body outgrows `limits`.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) -> Bool {
        guard body.count + bytes.count <= limits.maxBodySize else { return false }
        body.append(contentsOf: bytes)
        return true
    }

    /// The finished request, or the error the session answers with.
    func build() -> Result<HTTPRequest, HTTP2StreamError> {
        let methodText = method ?? ""
        guard let method = HTTPMethod(rawValue: methodText) else { return .failure(.methodNotImplemented(methodText)) }
        var headers = self.headers
        // Handlers written for HTTP/1.1 look for `Host`; `:authority` replaces it in HTTP/2.
        if let authority, !headers.contains("host") { headers.add("host", authority) }
        let head = HTTPRequestHead(method: method, target: path ?? "/", version: .http1_1, headers: headers)
        return .success(HTTPRequest(head: head, body: body))
    }
}
