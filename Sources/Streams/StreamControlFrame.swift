import RawJSON

/// The frames of the exchange's stream protocol the hub writes and reads upstream: control
/// requests, their answers, and combined data frames `{"stream":"<name>","data":<payload>}`.
public enum StreamControlFrame {
    /// `{"method":"SUBSCRIBE","params":["a","b"],"id":7}`.
    public static func request(method: String, streams: [String], id: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(40 + streams.reduce(0) { $0 + $1.utf8.count + 3 })
        out.append(contentsOf: #"{"method":"#.utf8)
        JSONString.append(method, to: &out)
        out.append(contentsOf: #","params":["#.utf8)
        for (index, stream) in streams.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(stream, to: &out)
        }
        out.append(contentsOf: #"],"id":"#.utf8)
        out.append(contentsOf: String(id).utf8)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// What one upstream frame is.
    public enum Upstream: Equatable, Sendable {
        /// A combined data frame: the stream's name and where its payload lies in the frame.
        case data(stream: String, payload: Range<Int>)
        /// `{"result":…,"id":N}`: a control request succeeded.
        case reply(id: UInt64)
        /// `{"error":…}` or `{"code":…,"msg":…}`, with the id when there is one.
        case error(id: UInt64?, text: String)
        /// Anything else (not JSON, another shape).
        case unknown
    }

    private static let streamPrefix = Array(#"{"stream":""#.utf8)
    private static let dataKey = Array(#","data":"#.utf8)

    /// Classifies an upstream frame. Data frames, the hot path, are recognised by their exact
    /// prefix without building any value: the payload is the bytes between `"data":` and the
    /// final `}`, forwarded as they came.
    public static func classify(_ frame: [UInt8]) -> Upstream {
        if frame.starts(with: streamPrefix) {
            let nameStart = streamPrefix.count
            var index = nameStart
            while index < frame.count, frame[index] != UInt8(ascii: "\""), frame[index] != UInt8(ascii: "\\") {
                index += 1
            }
            guard index < frame.count, frame[index] == UInt8(ascii: "\""),
                frame[(index + 1)...].starts(with: dataKey)
            else { return .unknown }
            let name = String(decoding: frame[nameStart..<index], as: UTF8.self)
            let payloadStart = index + 1 + dataKey.count
            var end = frame.count
            while end > payloadStart, isSpace(frame[end - 1]) { end -= 1 }
            guard end > payloadStart, frame[end - 1] == UInt8(ascii: "}"), StreamRoute.isValidName(name) else {
                return .unknown
            }
            return .data(stream: name, payload: payloadStart..<(end - 1))
        }
        guard let object = try? JSONObject(parsing: frame) else { return .unknown }
        let id = object["id"]?.integer.flatMap { UInt64(exactly: $0) }
        if let error = object["error"] {
            return .error(id: id, text: error.json)
        }
        if object["code"] != nil {
            return .error(id: id, text: String(decoding: frame.prefix(200), as: UTF8.self))
        }
        if object["result"] != nil, let id { return .reply(id: id) }
        return .unknown
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\t")
    }
}
