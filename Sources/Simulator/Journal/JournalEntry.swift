import RawJSON

/// One request the simulator received, kept by `SimulatorJournal` so a test can assert exactly
/// what reached the upstream: a WebSocket API request frame or a REST request.
public enum JournalEntry: Sendable, Hashable {
    case webSocket(WebSocketRequestRecord)
    case rest(RESTRequestRecord)

    /// The entry's place in arrival order (0, 1, 2, …; `clear()` does not restart it).
    public var sequence: Int {
        switch self {
        case .webSocket(let record): record.sequence
        case .rest(let record): record.sequence
        }
    }
}

/// One text frame received on `/ws-fapi/v1`, as sent, plus its `method` and `id` when it parses.
public struct WebSocketRequestRecord: Sendable, Hashable {
    public let sequence: Int
    /// The connection it came on (the server's connection id): frames of one socket share it.
    public let connection: Int
    /// The frame's payload, byte for byte.
    public let text: [UInt8]
    /// `method`, or `nil` when the frame is not a JSON object with a string `method`.
    public let method: String?
    /// `id`: a string id's content or a number's digits as sent; `nil` when absent, `null` or unparsable.
    public let id: String?

    init(sequence: Int, connection: Int, text: [UInt8], method: String?, id: String?) {
        self.sequence = sequence
        self.connection = connection
        self.text = text
        self.method = method
        self.id = id
    }

    /// A frame's `method` and `id` (see the properties), or `nil`s when it is not a JSON object.
    static func methodAndID(_ text: [UInt8]) -> (method: String?, id: String?) {
        var scanner = RawJSONScanner(text)
        guard let members = try? scanner.document() else { return (nil, nil) }
        func member(_ key: String) -> RawJSONScanner.Value? { members.first { $0.key == key }?.value }
        let method: String? = if case .string(let value)? = member("method") { value } else { nil }
        let id: String? =
            switch member("id") {
            case .string(let value)?: value
            case .raw(let value)? where value != "null": value
            default: nil
            }
        return (method, id)
    }

    /// The frame as a string (UTF-8).
    public var string: String { String(decoding: text, as: UTF8.self) }

    /// The params in the order sent: a string's unescaped content, any other value's exact JSON
    /// text (`0.10`, `true`, nested objects as sent). Empty when there are none or the frame is malformed.
    public var params: [(key: String, raw: String)] {
        ((try? JSONParams(frame: text))?.ordered ?? []).map { ($0.key, $0.raw) }
    }

    /// The raw value of one param (see `params`).
    public func param(_ key: String) -> String? { params.first { $0.key == key }?.raw }
}

/// One HTTP request to the REST API (`/fapi/…`), as it arrived.
public struct RESTRequestRecord: Sendable, Hashable {
    public let sequence: Int
    /// `GET`, `POST`, `PUT`, `DELETE`, …
    public let method: String
    /// The path without the query, e.g. `/fapi/v1/order`.
    public let path: String
    /// The query string as sent (without `?`), or `nil` when the target had none.
    public let query: String?
    /// The `X-MBX-APIKEY` header, if sent.
    public let apiKey: String?
    public let body: [UInt8]
    /// `"HTTP/1.1"` (or `"HTTP/1.0"`) for HTTP/1.x, `"h2"` for HTTP/2 (h2c).
    public let protocolVersion: String

    init(
        sequence: Int, method: String, path: String, query: String?, apiKey: String?, body: [UInt8],
        protocolVersion: String
    ) {
        self.sequence = sequence
        self.method = method
        self.path = path
        self.query = query
        self.apiKey = apiKey
        self.body = body
        self.protocolVersion = protocolVersion
    }

    /// The query's `key=value` pairs in the order sent, percent-decoded (`+` is a space).
    public var queryParams: [(key: String, value: String)] { Self.pairs(query ?? "") }

    /// The body's pairs the same way (a form body; meaningless for any other).
    public var bodyParams: [(key: String, value: String)] { Self.pairs(String(decoding: body, as: UTF8.self)) }

    /// One decoded param from the query, else from the body.
    public func param(_ key: String) -> String? {
        (queryParams + bodyParams).first { $0.key == key }?.value
    }

    private static func pairs(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "&").map { raw in
            let parts = raw.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (RESTQuery.decode(parts[0]), parts.count > 1 ? RESTQuery.decode(parts[1]) : "")
        }
    }
}
