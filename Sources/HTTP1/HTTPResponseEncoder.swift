/// Serialises responses to HTTP/1.1 bytes.
///
/// The encoder owns the framing headers: a handler's own `Content-Length`,
/// `Transfer-Encoding` or `Connection` fields are dropped so they cannot contradict it.
///
/// No byte a handler puts in a field can start another line: a response whose field names are
/// not tokens, or whose values hold CR, LF, NUL or another control character, is never written.
/// It is a programming error (values from requests must be checked before they reach a header),
/// so the client gets `invalidFieldResponse`, a 500, in its place.
public enum HTTPResponseEncoder {
    /// Appends `response` to `output`.
    /// - Parameters:
    ///   - bodyOmitted: true for a HEAD request: headers as for GET, no body bytes.
    ///   - keepAlive: false adds `Connection: close`.
    ///   - requestVersion: an HTTP/1.0 client kept alive is told so explicitly.
    ///   - date: the IMF-fixdate for the `Date` field, or `nil` to omit it.
    public static func encode(
        _ response: HTTPResponse, bodyOmitted: Bool = false, keepAlive: Bool = true,
        requestVersion: HTTPVersion = .http1_1, date: String? = nil,
        into output: inout [UInt8]
    ) {
        let start = output.count
        output.reserveCapacity(output.count + 128 + response.body.count)
        append("HTTP/1.1 ", to: &output)
        appendDecimal(response.status.code, to: &output)
        output.append(ASCII.space)
        response.status.reason.withUTF8Bytes { output.append(contentsOf: $0) }
        append("\r\n", to: &output)
        if let date {
            append("Date: ", to: &output)
            date.withUTF8Bytes { output.append(contentsOf: $0) }
            append("\r\n", to: &output)
        }
        for field in response.headers where !isFramingField(field.name) {
            // Checked, then copied whole: no string is built for the line.
            guard appendField(field, to: &output) else {
                output.removeSubrange(start...)
                return encode(
                    invalidFieldResponse, bodyOmitted: bodyOmitted, keepAlive: keepAlive,
                    requestVersion: requestVersion, date: date, into: &output)
            }
        }
        if !isBodyless(response.status) {
            append("Content-Length: ", to: &output)
            appendDecimal(response.body.count, to: &output)
            append("\r\n", to: &output)
        }
        if !keepAlive {
            append("Connection: close\r\n", to: &output)
        } else if requestVersion == .http1_0 {
            append("Connection: keep-alive\r\n", to: &output)
        }
        append("\r\n", to: &output)
        if !bodyOmitted && !isBodyless(response.status) {
            output.append(contentsOf: response.body)
        }
    }

    /// What is sent instead of a response with an invalid field.
    public static let invalidFieldResponse = HTTPResponse.json(
        .internalServerError, #"{"code":500,"msg":"internal error: the response had an invalid header field"}"#)

    /// A field name that is a token and a value of visible characters, spaces and tabs only.
    public static func isValidField(_ field: HTTPHeaders.Field) -> Bool {
        !field.name.isEmpty && field.name.utf8.allSatisfy(ASCII.isTokenChar)
            && field.value.utf8.allSatisfy(ASCII.isFieldValueChar)
    }

    /// Appends `name: value` and CRLF; false, with nothing appended, when the field is not
    /// valid (`isValidField`).
    private static func appendField(_ field: HTTPHeaders.Field, to output: inout [UInt8]) -> Bool {
        field.name.withUTF8Bytes { name in
            field.value.withUTF8Bytes { value in
                guard !name.isEmpty, name.allSatisfy(ASCII.isTokenChar), value.allSatisfy(ASCII.isFieldValueChar)
                else { return false }
                output.append(contentsOf: name)
                output.append(ASCII.colon)
                output.append(ASCII.space)
                output.append(contentsOf: value)
                output.append(ASCII.cr)
                output.append(ASCII.lf)
                return true
            }
        }
    }

    /// The interim `100 Continue` response.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A number in decimal, as `"\(value)"` writes it, without making a string of it.
    private static func appendDecimal(_ value: Int, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        var rest = magnitude
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func isFramingField(_ name: String) -> Bool {
        HTTPHeaders.sameName(name, "content-length") || HTTPHeaders.sameName(name, "transfer-encoding")
            || HTTPHeaders.sameName(name, "connection")
    }

    private static func isBodyless(_ status: HTTPStatus) -> Bool {
        status.code < 200 || status.code == 204 || status.code == 304
    }
}
