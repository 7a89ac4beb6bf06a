import HTTP1

extension HTTPResponseEncoder {
    /// Appends the head of a response that switches protocols (normally 101).
    ///
    /// `encode` owns the framing and drops a handler's `Connection` field; after this head the
    /// bytes are no longer HTTP, so there is no framing to own, and `Connection: Upgrade`
    /// must reach the client. Body-framing fields are still dropped and no body is written.
    /// Fields are checked as `encode` checks them; an invalid one makes the head a 500 instead.
    static func encodeUpgradeHead(_ response: HTTPResponse, date: String?, into output: inout [UInt8]) {
        guard response.headers.allSatisfy(isValidField) else {
            return encode(invalidFieldResponse, keepAlive: false, date: date, into: &output)
        }
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n"
        if let date { text += "Date: \(date)\r\n" }
        for field in response.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" { continue }
            text += "\(field.name): \(field.value)\r\n"
        }
        text += "\r\n"
        output.append(contentsOf: Array(text.utf8))
    }
}
