import Catalog

/// Builds REST request targets: every parameter in the query string, percent-encoded, and for
/// signed endpoints the signature of that exact query string last (Binance's REST rule: the
/// signature covers the parameters as sent).
public struct RESTRequestEncoder: Sendable {
    public let credentials: Credentials?
    public let recvWindow: Int?

    public init(credentials: Credentials?, recvWindow: Int?) {
        self.credentials = credentials
        self.recvWindow = recvWindow
    }

    /// `path?query` and the header fields for one attempt.
    public func request(
        path: String, _ arguments: CallArguments, security: Security,
        timestamp: Int64
    ) -> (target: String, headers: [(name: String, value: String)]) {
        var params = arguments
        var headers: [(name: String, value: String)] = []
        if let credentials, security != .none { headers.append(("X-MBX-APIKEY", credentials.apiKey)) }
        if security == .signed {
            if let recvWindow, !params.contains("recvWindow") { params.set("recvWindow", .integer(String(recvWindow))) }
            params.set("timestamp", .integer(String(timestamp)))
        }
        var query = Self.query(params)
        if security == .signed, let credentials {
            query += (query.isEmpty ? "" : "&") + "signature=" + QueryEncoding.escape(credentials.sign(query))
        }
        return (query.isEmpty ? path : path + "?" + query, headers)
    }

    static func query(_ params: CallArguments) -> String {
        params.entries
            .map { QueryEncoding.escape($0.name) + "=" + QueryEncoding.escape($0.value.plainText) }
            .joined(separator: "&")
    }
}

/// Percent-encoding for query strings: everything but RFC 3986's unreserved characters.
public enum QueryEncoding {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes (and `+` as a space, as HTML forms send it); nil for a bad escape or invalid UTF-8.
    public static func unescape(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(Self.hexValue),
                    let low = iterator.next().flatMap(Self.hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
