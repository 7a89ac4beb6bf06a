import HTTP1

/// One attempt of a `RESTRequest`, built and checked, ready for either protocol: the fields
/// every request carries (user-agent, content-type for a body) are added here, once.
struct RESTWireRequest {
    let method: HTTPMethod
    let target: String
    /// Lowercase names, without Host/`:authority` (each connection adds its own).
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    static let userAgent = "futures-gateway"

    /// Why an attempt's parts cannot go on the wire.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Builds one attempt of `request`; fails on a target or field that could split a message.
    static func make(_ request: RESTRequest) -> Result<RESTWireRequest, Invalid> {
        let parts = request.build()
        guard parts.target.hasPrefix("/"), parts.target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(Invalid(description: "invalid request target \"\(parts.target.prefix(80))\""))
        }
        var headers: [(name: String, value: String)] = [("user-agent", userAgent)]
        if !parts.body.isEmpty { headers.append(("content-type", "application/x-www-form-urlencoded")) }
        for (name, value) in parts.headers {
            let lower = name.lowercased()
            guard !lower.isEmpty, lower.utf8.allSatisfy(isTokenByte),
                value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) })
            else { return .failure(Invalid(description: "invalid header field \"\(name)\"")) }
            // Framing belongs to the connection; a caller's value would contradict it.
            guard !framingFields.contains(lower) else { continue }
            // A caller's user-agent or content-type replaces ours; other fields add up.
            if lower == "user-agent" || lower == "content-type",
                let index = headers.firstIndex(where: { $0.name == lower })
            {
                headers[index].value = value
            } else {
                headers.append((lower, value))
            }
        }
        return .success(
            RESTWireRequest(method: request.method, target: parts.target, headers: headers, body: parts.body))
    }

    /// True when the method carries a body by definition, so an empty one is still declared.
    var declaresBody: Bool { !body.isEmpty || method == .POST || method == .PUT || method == .PATCH }

    private static let framingFields: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "proxy-connection",
    ]

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 97...122: true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
