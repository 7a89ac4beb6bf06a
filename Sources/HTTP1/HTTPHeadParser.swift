/// Parses a complete request head, strictly per RFC 9112.
///
/// A pure function over bytes, in the spirit of picohttpparser: anything ambiguous is an
/// error rather than a guess, because ambiguity between us and a proxy in front of us is
/// what request smuggling exploits.
public enum HTTPHeadParser {
    /// How the body of a request is delimited.
    public enum Framing: Sendable, Hashable {
        case none
        case length(Int)
        case chunked
    }

    /// A parsed head together with what the decoder needs to read its body.
    public struct Parsed: Sendable, Hashable {
        public var head: HTTPRequestHead
        public var framing: Framing
        public var expectsContinue: Bool
    }

    /// Parses `bytes`, which must hold exactly one head ending in an empty line.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) -> Result<Parsed, HTTPParseError>
    {
        var lines = LineReader(bytes: bytes)
        do throws(HTTPParseError) {
            guard let requestLine = try lines.next() else { throw .badRequest("empty request") }
            let (method, target, version) = try parseRequestLine(requestLine, limits: limits)
            var headers = HTTPHeaders()
            while let line = try lines.next(), !line.isEmpty {
                guard headers.count < limits.maxHeaderCount else { throw .headerFieldsTooLarge }
                let (name, value) = try parseField(line)
                headers.add(name, value)
            }
            return .success(
                try interpret(method: method, target: target, version: version, headers: headers, limits: limits))
        } catch {
            return .failure(error)
        }
    }

    /// Splits a head into CRLF-terminated lines, refusing bare CR or LF.
    private struct LineReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        mutating func next() throws(HTTPParseError) -> UnsafeBufferPointer<UInt8>? {
            guard offset < bytes.count else { return nil }
            var index = offset
            while index < bytes.count {
                let byte = bytes[index]
                if byte == ASCII.cr {
                    guard index + 1 < bytes.count, bytes[index + 1] == ASCII.lf else {
                        throw .badRequest("bare CR in request head")
                    }
                    let line = UnsafeBufferPointer(rebasing: bytes[offset..<index])
                    offset = index + 2
                    return line
                }
                if byte == ASCII.lf { throw .badRequest("bare LF in request head") }
                index += 1
            }
            throw .badRequest("request head does not end in CRLF")
        }
    }

    private static func parseRequestLine(
        _ line: UnsafeBufferPointer<UInt8>, limits: HTTPLimits
    )
        throws(HTTPParseError) -> (HTTPMethod, String, HTTPVersion)
    {
        guard let firstSpace = line.firstIndex(of: ASCII.space), firstSpace > 0 else {
            throw .badRequest("malformed request line")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        guard methodBytes.allSatisfy(ASCII.isTokenChar) else { throw .badRequest("invalid method") }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: ASCII.space) else {
            if rest.count > limits.maxURILength { throw .uriTooLong }
            throw .badRequest("malformed request line")
        }
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        if targetBytes.count > limits.maxURILength { throw .uriTooLong }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy(ASCII.isTargetChar) else {
            throw .badRequest("invalid request-target")
        }
        let version = try parseVersion(UnsafeBufferPointer(rebasing: line[(secondSpace + 1)...]))
        guard let method = HTTPMethod(bytes: methodBytes) else {
            throw .methodNotImplemented(String(decoding: methodBytes, as: UTF8.self))
        }
        let target = try originForm(String(decoding: targetBytes, as: UTF8.self), method: method)
        return (method, target, version)
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.prefix(5).elementsEqual("HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
            let major = ASCII.hexValue(bytes[5]), major < 10,
            let minor = ASCII.hexValue(bytes[7]), minor < 10
        else { throw .badRequest("malformed HTTP version") }
        switch (major, minor) {
        case (1, 1): return .http1_1
        case (1, 0): return .http1_0
        default: throw .versionNotSupported
        }
    }

    /// Reduces absolute-form to origin-form; refuses authority-form and stray asterisks.
    private static func originForm(_ target: String, method: HTTPMethod) throws(HTTPParseError) -> String {
        if target.hasPrefix("/") { return target }
        if target == "*" && method == .OPTIONS { return target }
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            let afterScheme = target.dropFirst(scheme.count)
            guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let rest = afterScheme[slash...]
            return rest.hasPrefix("?") ? "/" + rest : String(rest)
        }
        throw .badRequest("invalid request-target")
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> (String, String) {
        switch HTTPFieldLine.parse(line) {
        case .success(let field): return field
        case .failure(let invalid): throw .badRequest(invalid.reason)
        }
    }

    /// Applies the message-framing rules of RFC 9112 §6 and the connection options.
    private static func interpret(
        method: HTTPMethod, target: String, version: HTTPVersion,
        headers: HTTPHeaders, limits: HTTPLimits
    ) throws(HTTPParseError) -> Parsed {
        // One pass over the fields for the ones framing depends on; every request pays for it.
        var framingFields = FramingFields()
        for field in headers { framingFields.note(field) }
        let hosts = framingFields.hosts
        if hosts.count > 1 { throw .badRequest("duplicate Host header") }
        if hosts.isEmpty && version == .http1_1 { throw .badRequest("missing Host header") }
        if let host = hosts.first, HTTPHost(host) == nil { throw .badRequest("invalid Host header") }

        let lengths = framingFields.contentLengths
        let codings = framingFields.transferEncodings
        if !lengths.isEmpty && !codings.isEmpty {
            throw .badRequest("both Content-Length and Transfer-Encoding")
        }
        var framing = Framing.none
        if lengths.count > 1 { throw .badRequest("duplicate Content-Length") }
        if let text = lengths.first {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw .badRequest("invalid Content-Length")
            }
            guard text.utf8.count <= 18, let length = Int(text), length <= limits.maxBodySize else {
                throw .contentTooLarge
            }
            framing = length > 0 ? .length(length) : .none
        }
        if codings.count > 1 { throw .badRequest("multiple Transfer-Encoding fields") }
        if let coding = codings.first {
            guard version == .http1_1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            guard HTTPHeaders.sameName(coding, "chunked") else {
                throw .badRequest("unsupported transfer coding; only chunked is accepted")
            }
            framing = .chunked
        }

        let options = framingFields.connections.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingOWS().lowercased() }
        let keepAlive =
            switch version {
            case .http1_1: !options.contains("close")
            case .http1_0: options.contains("keep-alive")
            }

        var expectsContinue = false
        if let expectation = framingFields.expect, version == .http1_1 {
            guard HTTPHeaders.sameName(expectation, "100-continue") else { throw .expectationFailed }
            expectsContinue = framing != .none
        }
        let head = HTTPRequestHead(
            method: method, target: target, version: version,
            headers: headers, keepAlive: keepAlive)
        return Parsed(head: head, framing: framing, expectsContinue: expectsContinue)
    }
}

/// The fields whose values decide how a request is framed and kept alive, gathered in one pass.
private struct FramingFields {
    /// The first value of a field and how many times it came, without an array per field.
    struct Occurrences {
        var first: String?
        var count = 0

        var isEmpty: Bool { count == 0 }

        mutating func append(_ value: String) {
            if first == nil { first = value }
            count += 1
        }
    }

    var hosts = Occurrences()
    var contentLengths = Occurrences()
    var transferEncodings = Occurrences()
    var connections: [String] = []
    /// The first `Expect`.
    var expect: String?

    mutating func note(_ field: HTTPHeaders.Field) {
        switch field.name.utf8.count {
        case 4 where HTTPHeaders.sameName(field.name, "host"): hosts.append(field.value)
        case 6 where HTTPHeaders.sameName(field.name, "expect"): expect = expect ?? field.value
        case 10 where HTTPHeaders.sameName(field.name, "connection"): connections.append(field.value)
        case 14 where HTTPHeaders.sameName(field.name, "content-length"): contentLengths.append(field.value)
        case 17 where HTTPHeaders.sameName(field.name, "transfer-encoding"): transferEncodings.append(field.value)
        default: break
        }
    }
}
