/// One header field line, `field-name ":" OWS field-value OWS`, read by the strict rules
/// both head parsers share: no obs-fold, token names, no whitespace before the colon, and
/// no control characters in the value.
enum HTTPFieldLine {
    /// The field's name and value, or why the line is not a valid field.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<(name: String, value: String), Invalid> {
        guard let first = line.first, !ASCII.isWhitespace(first) else {
            return .failure(Invalid("obsolete line folding in header field"))
        }
        var colon = 0
        while colon < line.count, line[colon] != ASCII.colon {
            let byte = line[colon]
            if ASCII.isWhitespace(byte) { return .failure(Invalid("whitespace in or after header field name")) }
            guard ASCII.isTokenChar(byte) else { return .failure(Invalid("invalid character in header field name")) }
            colon += 1
        }
        guard colon < line.count else { return .failure(Invalid("header field without colon")) }
        guard colon > 0 else { return .failure(Invalid("empty header field name")) }
        var start = colon + 1
        var end = line.count
        while start < end, ASCII.isWhitespace(line[start]) { start += 1 }
        while end > start, ASCII.isWhitespace(line[end - 1]) { end -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[start..<end])
        guard value.allSatisfy(ASCII.isFieldValueChar) else {
            return .failure(Invalid("invalid character in header field value"))
        }
        return .success(
            (
                String(decoding: UnsafeBufferPointer(rebasing: line[..<colon]), as: UTF8.self),
                String(decoding: value, as: UTF8.self)
            ))
    }

    struct Invalid: Error {
        let reason: String

        init(_ reason: String) {
            self.reason = reason
        }
    }
}
