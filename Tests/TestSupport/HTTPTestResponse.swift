/// An HTTP/1.x response as a `LoopbackClient` read it: status line, header fields in order, body.
public struct HTTPTestResponse: CustomStringConvertible {
    /// Header fields in the order received; a name's lookup ignores case.
    public struct Fields: Sequence {
        public var all: [(name: String, value: String)]

        /// The last value of `name`, as a dictionary keyed by the lowercased name would keep it.
        public subscript(_ name: String) -> String? {
            all.last { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// Every value, in the order received.
        public var values: [String] { all.map(\.value) }
        public var isEmpty: Bool { all.isEmpty }
        public var count: Int { all.count }
        public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { all.makeIterator() }
    }

    public var version: String
    public var status: Int
    public var reason: String
    public var headers: Fields
    /// The body as received.
    public var bytes: [UInt8] = []

    /// The body as UTF-8 text.
    public var body: String { String(decoding: bytes, as: UTF8.self) }

    /// Parses a head: status line and header fields, ending in an empty line.
    public init(head: String) throws(LoopbackClient.Failure) {
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let statusLine = lines.first else { throw .malformed("empty head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .malformed("status line \(statusLine.debugDescription)")
        }
        version = String(parts[0])
        self.status = status
        reason = parts.count > 2 ? String(parts[2]) : ""
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("field \(line.debugDescription)") }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            var trimmed = Substring(value)
            while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
            fields.append((String(line[..<colon]), String(trimmed)))
        }
        headers = Fields(all: fields)
    }

    /// The first value of the header field `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.all.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the header field `name`.
    public func values(for name: String) -> [String] {
        headers.all.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    public var closesConnection: Bool { header("Connection")?.lowercased() == "close" }

    public var description: String {
        "\(status) \(reason) \(headers.all.map { "\($0.name): \($0.value)" }) \(body.debugDescription)"
    }
}
